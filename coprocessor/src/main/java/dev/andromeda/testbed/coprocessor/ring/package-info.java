/** The fast path's side: work rings, reusable work items, verdicts and drop reasons. */
package dev.andromeda.testbed.coprocessor.ring;
