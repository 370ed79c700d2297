// SPDX-License-Identifier: GPL-2.0-or-later
// The app's side of the helper socket: arbitrary bytes into the frame
// reader (which must refuse or accept them without crashing or growing),
// and every EVENTS payload's records through the record parser. Half the
// inputs get a valid hello prepended so the fuzzer reaches past it.
#include "wire/event.h"
#include "wire/frame_reader.h"

#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    using namespace agentsight::wire;
    std::string input;
    if (data[0] & 1) {
        as_hello h{};
        h.magic = AS_PROTO_MAGIC;
        h.proto_major = AS_PROTO_MAJOR;
        h.schema_major = AS_SCHEMA_MAJOR;
        input = encodeFrame(AS_FRAME_HELLO, std::string_view(reinterpret_cast<const char *>(&h), sizeof h));
    }
    input.append(reinterpret_cast<const char *>(data + 1), size - 1);
    size_t records = 0;
    FrameReader reader([&](const Frame &f) {
        if (f.kind != AS_FRAME_EVENTS)
            return;
        forEachRecord(f.payload, [&](std::string_view rec) {
            Event e;
            std::string err;
            if (parseEvent(rec, e, &err))
                ++records;
        }, nullptr);
    }, 1u << 20);
    // Feed in two pieces split by the second byte, to cover resumption.
    size_t cut = size > 1 ? data[1] % (input.size() + 1) : input.size();
    reader.feed(std::string_view(input).substr(0, cut));
    reader.feed(std::string_view(input).substr(cut));
    if (reader.buffered() > (1u << 20) + sizeof(as_frame_header))
        __builtin_trap(); // a reader must never hold more than one frame
    return 0;
}
