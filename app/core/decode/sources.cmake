# SPDX-License-Identifier: GPL-2.0-or-later
# Protocol decoders: TLS plaintext -> HTTP exchanges. Plain C++ (no Qt) so the
# fuzz targets can drive them standalone.
list(APPEND AGENTSIGHT_CORE_SOURCES
  decode/body_decoder.cpp
  decode/content_decoder.cpp
  decode/http1_parser.cpp
  decode/http1_session.cpp
  decode/http2_session.cpp
  decode/redact.cpp
  decode/sniff.cpp
  decode/sse_parser.cpp
  decode/tls_decoder.cpp
  decode/websocket_decoder.cpp
)
