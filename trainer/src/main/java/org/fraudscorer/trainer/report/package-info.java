/** What a training or evaluation run tells its user: the console report, the JSON report and the PNG plots. */
package org.fraudscorer.trainer.report;
