package dev.andromeda.testbed.tb.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's report as JSON: {@code {"scenario":..,"runs":[{"mix":..,"sent":..,
 * "delivered":..,"lost":..,"mismatches":..,"stages":[..],"intervals":[..]}, ...]}}.
 */
public final class DemoJson {
    private DemoJson() {
    }

    public static void write(Demo.Report r, Path file) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("scenario", r.scenario().name());
        root.put("seed", r.scenario().seed());
        root.put("model", r.scenario().control().model());
        root.put("hosts", r.scenario().hosts());
        root.put("hoverboards", r.scenario().hoverboards());
        root.put("flows", r.flows());
        root.put("packets", r.packets());
        root.put("frameBytes", r.frameBytes());
        ObjectNode clocks = root.putObject("clockMHz");
        for (dev.andromeda.testbed.fastpath.offload.Stage s : dev.andromeda.testbed.fastpath.offload.Stage.values()) {
            clocks.put(s.label(), r.scenario().clockMHz(s));
        }
        root.put("clean", r.clean());
        ArrayNode runs = root.putArray("runs");
        for (RunResult x : r.runs()) {
            ObjectNode o = runs.addObject();
            o.put("mix", x.mix());
            if (!x.ran()) {
                o.put("unavailable", x.unavailable());
                continue;
            }
            Scoreboard.Verdict v = x.verdict();
            o.put("sent", v.sent());
            o.put("delivered", v.delivered());
            o.put("lost", v.lost());
            o.put("duplicates", v.duplicates());
            o.put("misdelivered", v.misdelivered());
            o.put("mismatches", v.mismatches());
            o.put("unknown", v.unknown());
            o.put("verdict", v.clean() ? "ok" : "FAIL");
            v.examples().forEach(o.putArray("examples")::add);
            o.put("wallSeconds", x.wallNs() / 1e9);
            o.put("dataplaneCpuNsPerPacket", v.sent() == 0 ? 0 : (double) x.dataplaneCpuNs() / v.sent());
            o.put("coprocessorCpuNsPerPacket", v.sent() == 0 ? 0 : (double) x.coprocessorCpuNs() / v.sent());
            o.put("programVersions", x.programVersions());
            ArrayNode stages = o.putArray("stages");
            for (StageCost c : x.stages()) {
                ObjectNode s = stages.addObject();
                s.put("stage", c.stage());
                s.put("impl", c.impl());
                s.put("packets", c.packets());
                s.put("cpuNsPerPacket", c.cpuNsPerPacket());
                s.put("hwCyclesPerPacket", c.hwCyclesPerPacket());
                s.put("hwNsPerPacket", c.hwNsPerPacket());
                s.put("simulationMs", c.simNs() / 1e6);
            }
            ArrayNode iv = o.putArray("intervals");
            for (RunResult.Interval i : x.intervals()) {
                ObjectNode s = iv.addObject();
                s.put("interval", i.index());
                s.put("interHostPackets", i.interHostPackets());
                s.put("viaHoverboard", i.viaHoverboard());
                s.put("hoverboardShare", i.hoverboardShare());
                s.put("offloadFlows", i.offloadFlows());
            }
            x.offloadFlows().forEach(o.putArray("offloadFlowsProgrammed")::add);
            if (x.misses() != null) {
                ObjectNode fm = o.putObject("flowMisses");
                fm.put("reported", x.misses().reported());
                fm.put("heldBack", x.misses().heldBack());
                fm.put("programmed", x.misses().programmed());
                fm.put("rateLimited", x.misses().rateLimited());
            }
            if (x.nic() != null) {
                ObjectNode n = o.putObject("nic");
                n.put("framesOut", x.nic().framesOut());
                n.put("framesIn", x.nic().framesIn());
                n.put("checksumsInserted", x.nic().checksumsInserted());
                n.put("pspSealed", x.nic().pspSealed());
                n.put("pspOpened", x.nic().pspOpened());
                n.put("errors", x.nic().errors());
                n.put("cycles", x.nic().cycles());
            }
            ObjectNode drops = o.putObject("drops");
            x.drops().forEach(drops::put);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        m.writeValue(file.toFile(), root);
    }
}
