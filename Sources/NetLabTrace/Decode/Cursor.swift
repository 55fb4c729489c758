/// Reads big-endian fields from captured bytes, never past what was captured or past a limit set
/// by an enclosing header's length. Every read returns nil once the bytes run out.
///
/// Fixed-size headers are read with one check (`has`) and then field by field at offsets ahead
/// of the position (`u16(ahead:)`), moving once at the end: moving per field made each read wait
/// for the previous one's update of `position` in memory, which cost more than the reads.
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

    /// Whether `count` more bytes can be read.
    @inline(__always)
    func has(_ count: Int) -> Bool { count >= 0 && position + count <= end }

    /// The byte `offset` bytes ahead of the position; the caller has checked `has(offset + 1)`.
    @inline(__always)
    func u8(ahead offset: Int) -> UInt8 { bytes[position + offset] }

    /// The big-endian field `offset` bytes ahead; the caller has checked `has(offset + 2)`.
    @inline(__always)
    func u16(ahead offset: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: position + offset, as: UInt16.self))
    }

    /// The big-endian field `offset` bytes ahead; the caller has checked `has(offset + 4)`.
    @inline(__always)
    func u32(ahead offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position + offset, as: UInt32.self))
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
