import Foundation

/// Every eligible pair with its points, kept from the first scan so pricing
/// never scores a pair twice (4 bytes a pair: a mentor's scan position and the
/// points, two bytes each; dropped above a budget, above 65,536 mentor positions
/// or above 65,535 points).
/// One segment per scan chunk, so the parallel scan never copies pairs.
/// Mentors are kept by scan position (``PairScanner/slotAtPosition``), so a
/// mentee's pairs come in ascending position and a walk reads per-mentor
/// arrays indexed by position front to back (by slot, the look-ups missed
/// the cache on most of 713 M pairs at 100k × 25k).
struct EligibleCache: Sendable {
    struct Segment: Sendable {
        /// First mentee slot of the segment.
        let first: Int
        /// Scan position of each pair's mentor (at most ``EligibleCache/positionLimit``).
        var position: [UInt16] = []
        var points: [UInt16] = []
        /// Pairs of mentee slot `first + i` are `start[i] ..< start[i + 1]`.
        var start: [Int] = [0]

        init(first: Int) { self.first = first }

        var count: Int { position.count }

        /// One mentee's pairs, from raw buffers.
        mutating func append(positions: UnsafePointer<UInt16>, points p: UnsafePointer<UInt16>, count n: Int) {
            position.append(contentsOf: UnsafeBufferPointer(start: positions, count: n))
            points.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            start.append(position.count)
        }

        mutating func reserveCapacity(_ pairs: Int) {
            position.reserveCapacity(pairs)
            points.reserveCapacity(pairs)
            HugePages.advise(&position)
            HugePages.advise(&points)
        }
    }

    var segments: [Segment] = []

    /// Mentor scan positions a cache can hold (two bytes each).
    static let positionLimit = Int(UInt16.max) + 1

    var count: Int { segments.reduce(0) { $0 + $1.count } }

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

/// Above this many eligible pairs (a quarter of the machine's memory at 4 bytes a pair), pricing re-scores instead.
let eligiblePairCacheLimit = Int(ProcessInfo.processInfo.physicalMemory / 4 / 4)

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
    /// All of a mentee's cached pairs at once (default: ``visit(mentee:position:points:)``
    /// for each): a fold can run its own tight loop on locals over the raw buffers.
    mutating func visit(mentee es: Int, positions: UnsafeBufferPointer<UInt16>, points: UnsafeBufferPointer<UInt16>)
}

extension EligiblePairFold {
    mutating func begin(mentee es: Int) -> Bool { true }
    mutating func end(mentee es: Int) {}
    @inline(__always)
    mutating func visit(mentee es: Int, positions: UnsafeBufferPointer<UInt16>, points: UnsafeBufferPointer<UInt16>) {
        for k in positions.indices { visit(mentee: es, position: Int(positions[k]), points: Int(points[k])) }
    }
}
