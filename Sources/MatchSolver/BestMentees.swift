/// Each mentor's `keep` best mentees by points (ties: lower mentee slot
/// first), in flat arrays: one bounded min-heap per mentor whose root is the
/// worst kept pair, so the scan rejects most offers with one comparison and
/// takes the rest in O(log keep).
///
/// The result does not depend on the order of offers, so scan chunks keep
/// their own lists and ``absorb(_:)`` merges them deterministically.
struct BestMentees: Sendable {
    let keep: Int
    var mentee: [Int32]
    var key: [Int64]
    var count: [Int32]
    /// Per mentor: the worst kept key once the heap is full (else the lowest key there is).
    /// A small, cache-resident array: most offers are turned away here without
    /// touching the heaps (at 100k × 25k, 713 M offers against 6 MB of heaps).
    var floor: [Int64]

    init(mentors: Int, keep: Int) {
        self.keep = keep
        mentee = [Int32](repeating: 0, count: mentors * keep)
        key = [Int64](repeating: 0, count: mentors * keep)
        count = [Int32](repeating: 0, count: keep > 0 ? mentors : 0)
        floor = [Int64](repeating: .min, count: keep > 0 ? mentors : 0)
    }

    /// Whether (p, e) ranks below (q, f): fewer points, or as many and a later mentee.
    @inline(__always)
    private static func worse(_ p: Int64, _ e: Int32, than q: Int64, _ f: Int32) -> Bool {
        p < q || (p == q && e > f)
    }

    /// Most offers are turned away by the floor test, inlined into the scan; the heap
    /// work stays out of line, so the scan's per-pair code stays small enough to inline.
    @inline(__always)
    mutating func offer(mentor ms: Int, mentee es: Int, key p: Int64) {
        guard keep > 0, p >= floor[ms] else { return }
        take(mentor: ms, mentee: es, key: p)
    }

    @inline(never)
    private mutating func take(mentor ms: Int, mentee es: Int, key p: Int64) {
        let base = ms * keep, n = Int(count[ms])
        let e32 = Int32(es)
        if n < keep {
            // Sift up from the end.
            var i = n
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.worse(p, e32, than: key[base + parent], mentee[base + parent]) else { break }
                key[base + i] = key[base + parent]
                mentee[base + i] = mentee[base + parent]
                i = parent
            }
            key[base + i] = p
            mentee[base + i] = e32
            count[ms] = Int32(n + 1)
            if n + 1 == keep { floor[ms] = key[base] }
            return
        }
        // Full: replace the root (the worst kept) when the offer beats it, then sift down.
        guard Self.worse(key[base], mentee[base], than: p, e32) else { return }
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= keep { break }
            var c = l
            if l + 1 < keep && Self.worse(key[base + l + 1], mentee[base + l + 1], than: key[base + l], mentee[base + l]) { c = l + 1 }
            guard Self.worse(key[base + c], mentee[base + c], than: p, e32) else { break }
            key[base + i] = key[base + c]
            mentee[base + i] = mentee[base + c]
            i = c
        }
        key[base + i] = p
        mentee[base + i] = e32
        floor[ms] = key[base]
    }

    mutating func absorb(_ other: BestMentees) {
        guard keep > 0 else { return }
        for ms in other.count.indices {
            for j in 0..<Int(other.count[ms]) {
                offer(mentor: ms, mentee: Int(other.mentee[ms * keep + j]), key: other.key[ms * keep + j])
            }
        }
    }

    /// The mentor's kept mentees with their points, best first.
    func list(of ms: Int) -> [(Int, Int64)] {
        guard keep > 0 else { return [] }
        return (0..<Int(count[ms]))
            .map { (Int(mentee[ms * keep + $0]), key[ms * keep + $0]) }
            .sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }
    }
}

extension BestMentees {
    /// A fixed pseudo-random rank of a pair (31 bits, SplitMix64's finaliser):
    /// the same on every run, every machine and in every scan chunk.
    @inline(__always)
    static func scatter(_ ms: Int, _ es: Int) -> Int64 {
        var z = UInt64(truncatingIfNeeded: ms) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: es)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int64((z ^ (z >> 31)) >> 33)
    }
}

/// Each mentor's candidate mentees, gathered in one walk over the eligible
/// pairs: its best by points, more at a scattered rank (``BestMentees/scatter(_:_:)``),
/// and each department node's best. Pairs of mentees without a free place, of
/// mentors without capacity and locked pairs are not offered.
///
/// `best` and `scattered` are kept by the mentor's scan position (the order of a
/// mentee's pairs, so their floors are read front to back); `layerBest` by department node.
struct MentorSideCandidates: EligiblePairFold {
    var best: BestMentees
    var scattered: BestMentees
    var layerBest: BestMentees
    let places: [Int]
    /// Per scan position: whether the mentor has room.
    let hasRoom: [Bool]
    /// Mentor slot at each scan position.
    let slotAt: [Int32]
    let locked: Set<UInt64>
    let layer: DepartmentLayer

    func begin(mentee es: Int) -> Bool { places[es] > 0 }

    @inline(__always)
    mutating func visit(mentee es: Int, position i: Int, points p: Int) {
        guard hasRoom[i] else { return }
        if !locked.isEmpty && locked.contains(MatchInstance.pairKey(Int(slotAt[i]), es)) { return }
        best.offer(mentor: i, mentee: es, key: Int64(p))
        if scattered.keep > 0 { scattered.offer(mentor: i, mentee: es, key: BestMentees.scatter(Int(slotAt[i]), es) << 32 | Int64(p)) }
        if layerBest.keep > 0, let node = layer.node(mentor: Int(slotAt[i]), mentee: es) { layerBest.offer(mentor: node, mentee: es, key: Int64(p)) }
    }
}
