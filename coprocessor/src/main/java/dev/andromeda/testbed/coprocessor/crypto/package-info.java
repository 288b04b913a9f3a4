/** Crypto batches run through a worker's own crypto stage, off the fast path thread. */
package dev.andromeda.testbed.coprocessor.crypto;
