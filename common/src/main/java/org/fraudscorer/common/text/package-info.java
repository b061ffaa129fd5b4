/**
 * Text that comes from outside (an event's id, a file's field, a record read back from a topic): what an
 * identifier may be ({@link org.fraudscorer.common.text.EventIds}) and how any such text is made safe for one line
 * of a log, a header, an error message or a terminal ({@link org.fraudscorer.common.text.ControlChars}). One rule
 * for the trainer, the scorer and the app.
 */
package org.fraudscorer.common.text;
