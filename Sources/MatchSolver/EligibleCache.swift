import Foundation

/// Every eligible pair with its points, kept from the first scan so pricing
/// never scores a pair twice (dropped above a budget, above 65,536 mentor
/// positions or above 65,535 points). One segment per scan chunk, so the
/// parallel scan never copies pairs. Mentors are kept by scan position
/// (``PairScanner/slotAtPosition``): a mentee's pairs come mostly in ascending
/// position, so a walk reads per-mentor arrays indexed by position front to back
/// (by slot, the look-ups missed the cache on most of 713 M pairs at 100k × 25k),
/// and a pair is stored as one 2-byte code: the step from the previous pair's
/// position (6 bits) and the points (10 bits); a step outside 0…62 (a mentee's
/// first pair, a gap, a time-zone window that wraps round the clock) or points
/// above 1,023 take an escape code and two more words, the position and the
/// points. At 100k × 25k: 1.5 GB instead of 2.9 GB at 4 bytes a pair — on this
/// VM fresh memory costs about 3 s of kernel time per GB.
struct EligibleCache: Sendable {
    /// A code at or above this is an escape: the next two words are the position and the points.
    static let escape: UInt16 = 63 << 10

    struct Segment: Sendable {
        /// First mentee slot of the segment.
        let first: Int
        /// The pairs' codes (see ``EligibleCache``).
        var codes: [UInt16] = []
        /// Codes of mentee slot `first + i` are `start[i] ..< start[i + 1]`.
        var start: [Int] = [0]

        init(first: Int) { self.first = first }

        /// One mentee's pairs, already coded by ``EligibleCache/encode(positions:points:count:into:)``.
        mutating func append(codes c: UnsafePointer<UInt16>, count: Int) {
            codes.append(contentsOf: UnsafeBufferPointer(start: c, count: count))
            start.append(codes.count)
        }

        /// Room for about this many pairs' codes (in memory advised for huge pages).
        mutating func reserveCapacity(_ codeCount: Int) {
            codes.reserveCapacity(codeCount)
            HugePages.advise(&codes)
        }
    }

    /// Codes one mentee's pairs into `out` (room for 3 words a pair); returns the words written.
    @inline(__always)
    static func encode(
        positions: UnsafePointer<Int32>, points: UnsafePointer<Int32>, count n: Int,
        into out: UnsafeMutablePointer<UInt16>
    ) -> Int {
        var w = 0, previous = 0
        for j in 0..<n {
            let position = Int(positions[j]), p = Int(points[j])
            let step = position &- previous
            if step >= 0 && step < 63 && p < 1024 {
                out[w] = UInt16(truncatingIfNeeded: step << 10 | p)
                w += 1
            } else {
                out[w] = escape
                out[w + 1] = UInt16(truncatingIfNeeded: position)
                out[w + 2] = UInt16(truncatingIfNeeded: p)
                w += 3
            }
            previous = position
        }
        return w
    }

    /// Calls `body(position, points)` for each pair of `codes`, in order.
    @inline(__always)
    static func decode(_ codes: UnsafeBufferPointer<UInt16>, _ body: (Int, Int) -> Void) {
        var k = 0, position = 0
        let n = codes.count
        while k < n {
            let c = codes[k]
            if c < escape {
                position &+= Int(c >> 10)
                body(position, Int(c & 1023))
                k += 1
            } else {
                position = Int(codes[k + 1])
                body(position, Int(codes[k + 2]))
                k += 3
            }
        }
    }

    var segments: [Segment] = []

    /// Mentor scan positions a cache can hold (two bytes each).
    static let positionLimit = Int(UInt16.max) + 1

    /// The segment holding mentee slot `es` and the pairs' range in it.
    func locate(_ es: Int) -> (segment: Int, range: Range<Int>) {
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].first <= es { lo = mid } else { hi = mid - 1 }
        }
        let s = segments[lo], i = es - s.first
        return (lo, s.start[i]..<s.start[i + 1])
    }
}

/// Above this many codes (a quarter of the machine's memory at 2 bytes a code), pricing re-scores instead.
let eligibleCacheCodeLimit = Int(ProcessInfo.processInfo.physicalMemory / 4 / 2)

/// What one chunk of the parallel scan found.
struct ScanPart: Sendable {
    var count = 0
    var top: [[(mentor: Int32, points: Int32)]] = []
    /// Which point values occur (values above 1000 arise only from weights summing above 1).
    var pointsSeen = [Bool](repeating: false, count: 1001)
    var otherPoints = Set<Int>()
    var maxPoints = 0
    var keepPairs: Bool
    var segment: EligibleCache.Segment

    init(range: Range<Int>, keepPairs: Bool) {
        self.keepPairs = keepPairs
        segment = EligibleCache.Segment(first: range.lowerBound)
        top.reserveCapacity(range.count)
    }

    mutating func saw(_ p: Int) {
        if p <= 1000 { pointsSeen[p] = true } else { otherPoints.insert(p) }
        if p > maxPoints { maxPoints = p }
    }
}

/// A fold over every eligible pair, mentee by mentee, one value per parallel part
/// (`NetworkSolver.foldEligible`): a concrete type, so the walk is specialised
/// for it and calls it without a closure per pair (at 713 M pairs a closure call
/// per pair cost as much as the pricing itself).
protocol EligiblePairFold: Sendable {
    /// Whether to visit mentee slot `es`'s pairs (default: yes).
    mutating func begin(mentee es: Int) -> Bool
    /// A pair: its mentor's scan position (``PairScanner/slotAtPosition`` has the slot), its points.
    mutating func visit(mentee es: Int, position i: Int, points p: Int)
    /// After the mentee's last pair (default: nothing).
    mutating func end(mentee es: Int)
    /// All of a mentee's cached pairs at once, as codes (``EligibleCache/decode(_:_:)``;
    /// default: ``visit(mentee:position:points:)`` for each): a fold can run its own tight
    /// loop on locals over the raw buffer.
    mutating func visit(mentee es: Int, codes: UnsafeBufferPointer<UInt16>)
}

extension EligiblePairFold {
    mutating func begin(mentee es: Int) -> Bool { true }
    mutating func end(mentee es: Int) {}
    @inline(__always)
    mutating func visit(mentee es: Int, codes: UnsafeBufferPointer<UInt16>) {
        EligibleCache.decode(codes) { i, p in visit(mentee: es, position: i, points: p) }
    }
}
