/**
 * The analyst console: a page of live alerts read from the flagged topic, served by the JDK's HTTP server, whose
 * verdict buttons write labels to the labels topic once per change of verdict. See docs/console.md.
 */
package org.fraudscorer.app.console;
