/** Agents (a duty cycle that says how much it did), idle strategies, and the thread that runs an agent. */
package dev.andromeda.testbed.fastpath.agent;
