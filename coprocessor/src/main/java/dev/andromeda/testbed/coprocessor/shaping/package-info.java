/** Token buckets in exact integer arithmetic, and WAN rate shaping per VM. */
package dev.andromeda.testbed.coprocessor.shaping;
