/// Reads big-endian fields from captured bytes, never past what was captured or past a limit set
/// by an enclosing header's length. Every read returns nil once the bytes run out.
struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var end: Int

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        end = bytes.count
    }

    var remaining: Int { max(0, end - position) }

    @inline(__always)
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, position + count <= end else { return false }
        position += count
        return true
    }

    @inline(__always)
    func peekU8() -> UInt8? { position < end ? bytes[position] : nil }

    @inline(__always)
    mutating func u8() -> UInt8? {
        guard position + 1 <= end else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func u16() -> UInt16? {
        guard position + 2 <= end else { return nil }
        defer { position += 2 }
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    mutating func u16LittleEndian() -> UInt16? { u16()?.byteSwapped }

    @inline(__always)
    mutating func u32() -> UInt32? {
        guard position + 4 <= end else { return nil }
        defer { position += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard let high = u32(), let low = u32() else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Stops reading `length` bytes from here (or at the current end, if sooner).
    mutating func limit(to length: Int) {
        end = min(end, position + max(0, length))
    }

    /// A cursor over the next `length` bytes; this one moves past them.
    mutating func limited(to length: Int) -> Cursor {
        var inner = self
        inner.limit(to: length)
        _ = skip(min(length, remaining))
        return inner
    }
}
