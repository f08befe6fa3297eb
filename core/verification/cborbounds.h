// A bounds check for CBOR (RFC 8949) that comes from outside before libfido2 parses it. libcbor
// (0.8, through libfido2) allocates an array's or a map's slots from the count its header
// declares, before it reads a single element: a header of eight bytes can ask for gigabytes
// (red team, issue 13: one D-Bus call held gatehoused for 32 s at 4 GB). This walk reads every
// header and accepts only definite lengths and counts that the bytes left can hold (each element
// needs at least one byte), nested at most kMaxDepth deep, so what libcbor allocates is bounded by
// a small multiple of the input's size. Well-formedness only: meaning stays libfido2's business.
#pragma once

#include <QByteArray>

namespace gh::cbor {

constexpr int kMaxDepth = 16;

// `bytes` is a sequence of complete, bounded CBOR items (empty is a sequence of none).
bool boundedSequence(const QByteArray& bytes);
// `bytes` is exactly one bounded CBOR item.
bool boundedItem(const QByteArray& bytes);
// `bytes` is exactly one definite CBOR byte string (major type 2); its content, or an empty
// array when it is not one.
QByteArray byteStringContent(const QByteArray& bytes);

} // namespace gh::cbor
