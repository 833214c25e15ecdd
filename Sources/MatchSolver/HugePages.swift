import Foundation

/// Asks the kernel to back large arrays with 2 MB pages (`madvise(MADV_HUGEPAGE)`;
/// Debian's kernels give transparent huge pages only where asked). Filling gigabytes of
/// fresh memory otherwise takes a page fault every 4 KB: at 30k × 7.5k a fifth of the
/// run was the kernel zeroing pages one fault at a time while the scan appended pairs.
/// Advice only: where huge pages are off or unavailable, nothing changes.
enum HugePages {
    /// Below this, an array is left alone.
    static let minimumBytes = 8 << 20

    /// Advises the whole 2 MB pages inside `array`'s allocated capacity.
    static func advise<T>(_ array: inout [T]) {
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= minimumBytes else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let page = UInt(2 << 20)
            let address = UInt(bitPattern: base)
            let start = (address + page - 1) & ~(page - 1)
            let end = (address + UInt(bytes)) & ~(page - 1)
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            #if os(Linux)
            _ = madvise(pointer, Int(end - start), MADV_HUGEPAGE)
            #else
            _ = pointer  // transparent huge pages are a Linux notion; elsewhere the advice is skipped
            #endif
        }
    }
}
