// SPDX-License-Identifier: GPL-2.0-or-later
// Pins the record and frame layouts shared by kernel, helper and app: a
// change here is a schema change (bump AS_SCHEMA_MAJOR, see docs/PROTOCOL.md).
#include "agentsight_protocol.h"

#include <QtTest>
#include <cstddef>

static_assert(sizeof(as_event_header) == 32);
static_assert(offsetof(as_event_header, ktime_ns) == 8);
static_assert(offsetof(as_event_header, seq) == 16);
static_assert(offsetof(as_event_header, tgid) == 24);
static_assert(sizeof(as_proc_exec) == 32 + 8 + 16 + 8 + 16);
static_assert(sizeof(as_proc_fork) == 32 + 8 + 16 + 16);
static_assert(sizeof(as_proc_exit) == 32 + 24);
static_assert(sizeof(as_file_open) == 32 + 24);
static_assert(sizeof(as_file_op) == 32 + 16);
static_assert(sizeof(as_file_io) == 32 + 32);
static_assert(sizeof(as_sockaddr) == 136);
static_assert(sizeof(as_net_conn) == 32 + 16 + 136);
static_assert(sizeof(as_net_tcp_state) == 32 + 56);
static_assert(sizeof(as_tls_data) == 32 + 40);
static_assert(sizeof(as_lost) == 32 + 16);
static_assert(sizeof(as_frame_header) == 8);
static_assert(sizeof(as_hello) == 40);
static_assert(alignof(as_tls_data) == 8);

class TstWireLayout : public QObject {
    Q_OBJECT
private slots:
    void tlsDataTailFollowsFixedPart()
    {
        // The BPF side writes data right after the fixed part: no padding.
        QCOMPARE(offsetof(as_tls_data, dropped) + sizeof(uint32_t), sizeof(as_tls_data));
    }
    void typeNumbersAreStable()
    {
        // Never renumber: recordings and older helpers depend on these.
        QCOMPARE(int(AS_EV_PROC_EXEC), 1);
        QCOMPARE(int(AS_EV_FILE_OPEN), 10);
        QCOMPARE(int(AS_EV_NET_CONNECT), 20);
        QCOMPARE(int(AS_EV_TLS_DATA), 30);
        QCOMPARE(int(AS_EV_LOST), 40);
        QCOMPARE(int(AS_FRAME_HELLO), 1);
        QCOMPARE(int(AS_FRAME_ADD_PID), 32);
    }
};

QTEST_GUILESS_MAIN(TstWireLayout)
#include "tst_wire_layout.moc"
