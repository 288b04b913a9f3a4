/** Internet ACL (CIDR, ports, protocol; copy-on-write rules) and the per-source DoS limiter. */
package dev.andromeda.testbed.coprocessor.acl;
