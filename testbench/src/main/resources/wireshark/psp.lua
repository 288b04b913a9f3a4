-- PSP Security Protocol (Google's PSP Architecture Specification), transport mode,
-- for Wireshark and tshark, which (4.0) have no PSP dissector of their own.
--
--   tshark -X lua_script:psp.lua -r demo.pcap
--   wireshark -X lua_script:psp.lua demo.pcap      (or copy it to your personal Lua plugins folder)
--
-- On UDP port 1000: the 16-byte header (24 with the virtualization cookie), the bytes
-- the crypt offset leaves in clear -- in this testbed the UDP and GENEVE headers the
-- encapsulation replaced, so the VNI shows -- the encrypted payload, and the 16-byte ICV.
-- Written by `tb demo --pcap`; the testbed's test suite decodes the demo's capture with it.

local psp = Proto("psp", "PSP Security Protocol")

local versions = { [0] = "AES-GCM-128", [1] = "AES-GCM-256", [2] = "AES-GMAC-128", [3] = "AES-GMAC-256" }

local f = psp.fields
f.next_header  = ProtoField.uint8("psp.next_header", "Next Header", base.DEC)
f.hdr_ext_len  = ProtoField.uint8("psp.hdr_ext_len", "Hdr Ext Len", base.DEC)
f.crypt_offset = ProtoField.uint8("psp.crypt_offset", "Crypt Offset (4-octet units)", base.DEC, nil, 0x3F)
f.sample       = ProtoField.bool("psp.s", "Sample", 8, nil, 0x80)
f.drop         = ProtoField.bool("psp.d", "Drop", 8, nil, 0x40)
f.version      = ProtoField.uint8("psp.version", "Version", base.DEC, versions, 0x3C)
f.v            = ProtoField.bool("psp.v", "Virtualization Cookie present", 8, nil, 0x02)
f.spi          = ProtoField.uint32("psp.spi", "Security Parameters Index", base.HEX)
f.key          = ProtoField.uint32("psp.spi.key", "Master key", base.DEC, nil, 0x80000000)
f.iv           = ProtoField.uint64("psp.iv", "Initialization Vector", base.HEX)
f.vc           = ProtoField.uint64("psp.vc", "Virtualization Cookie", base.HEX)
f.clear        = ProtoField.bytes("psp.clear", "In clear (crypt offset)")
f.clear_dport  = ProtoField.uint16("psp.clear.udp.dstport", "Replaced UDP destination port", base.DEC)
f.clear_vni    = ProtoField.uint24("psp.clear.geneve.vni", "GENEVE VNI", base.DEC)
f.encrypted    = ProtoField.bytes("psp.encrypted", "Encrypted payload")
f.icv          = ProtoField.bytes("psp.icv", "Integrity Check Value")

local ef_short = ProtoExpert.new("psp.short", "PSP packet shorter than header and ICV",
                                 expert.group.MALFORMED, expert.severity.ERROR)
psp.experts = { ef_short }

function psp.dissector(buf, pinfo, tree)
    local len = buf:len()
    if len < 16 + 16 then
        tree:add_proto_expert_info(ef_short)
        return 0
    end
    pinfo.cols.protocol = "PSP"
    local t = tree:add(psp, buf(), "PSP Security Protocol")
    t:add(f.next_header, buf(0, 1))
    t:add(f.hdr_ext_len, buf(1, 1))
    t:add(f.crypt_offset, buf(2, 1))
    t:add(f.sample, buf(3, 1))
    t:add(f.drop, buf(3, 1))
    t:add(f.version, buf(3, 1))
    t:add(f.v, buf(3, 1))
    local spi = t:add(f.spi, buf(4, 4))
    spi:add(f.key, buf(4, 4))
    t:add(f.iv, buf(8, 8))
    local header = 16
    if bit.band(buf(3, 1):uint(), 0x02) ~= 0 then
        t:add(f.vc, buf(16, 8))
        header = 24
    end
    local clear = bit.band(buf(2, 1):uint(), 0x3F) * 4
    -- The crypt offset counts from the end of the 16-byte base header (a cookie is inside it).
    local clear_end = math.min(16 + clear, len - 16)
    if clear_end > header then
        local c = t:add(f.clear, buf(header, clear_end - header))
        if buf(0, 1):uint() == 17 and clear_end - header >= 8 then
            c:add(f.clear_dport, buf(header + 2, 2))
            if buf(header + 2, 2):uint() == 6081 and clear_end - header >= 16 then
                c:add(f.clear_vni, buf(header + 12, 3))
            end
        end
    end
    if len - 16 > clear_end then
        t:add(f.encrypted, buf(clear_end, len - 16 - clear_end))
    end
    t:add(f.icv, buf(len - 16, 16))
    pinfo.cols.info = string.format("PSP SPI 0x%08x IV 0x%s %s", buf(4, 4):uint(), tostring(buf(8, 8):bytes()),
                                    versions[bit.rshift(bit.band(buf(3, 1):uint(), 0x3C), 2)] or "?")
    return len
end

DissectorTable.get("udp.port"):add(1000, psp)
