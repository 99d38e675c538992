/**
 * Workflow and activity contracts, payload records and the units every input is written in. This
 * module sees Temporal and Jackson annotations only: workflow code cannot reach Docker or S3
 * classes, which keeps it deterministic by construction.
 */
package io.stepbox.workflows;
