import MatchModel

/// What a pair's arc earns in the flow: its points times `pointsScale`, plus a
/// multiplier's share when its mentor is at the location_reach location
/// (`outsideGain` for a mentee elsewhere, `insideGain` for one there).
struct PairGain: Sendable {
    var pointsScale: Int64
    var atLocation: [Bool] = []
    var outside: [Bool] = []
    var outsideGain: Int64 = 0
    var insideGain: Int64 = 0

    init(pointsScale: Int64) { self.pointsScale = pointsScale }

    /// The largest extra any pair can earn.
    var maxExtra: Int64 { atLocation.isEmpty ? 0 : max(0, outsideGain, insideGain) }

    @inline(__always)
    func gain(mentor ms: Int, mentee es: Int, points p: Int) -> Int64 {
        var g = pointsScale * Int64(p)
        if !atLocation.isEmpty && atLocation[ms] { g += outside[es] ? outsideGain : insideGain }
        return g
    }
}

/// What a pricing pass proved about the pairs it left out: under its
/// potentials, every left-out pair of mentee `e` has a reduced cost of at
/// least `floor[e]` (`Int64.min`: nothing known).
///
/// A pair's reduced cost is −gain + π(e) − π(target), and its gain does not
/// change within a flow, so under new potentials it moves by exactly
/// Δ(e) − Δ(target), Δ = new − old. With `shift` the largest Δ of any
/// target, `floor[e] + Δ(e) − shift` bounds every left-out pair of `e` from
/// below: when it is ≥ 0 the mentee has no violator and its pairs need not be
/// read. Primal–dual repairs raise most potentials by the same amount, so
/// after them most mentees are skipped.
struct PricingMemory: Sendable {
    var potential: [Int64]
    var floor: [Int64]
}

/// Prices the pairs of one mentee after another against a flow's potentials:
/// a pair outside the set with negative reduced cost would improve the flow.
/// Keeps each mentee's `limit` most violated pairs (the rest wait for the next round's prices).
struct Pricer: EligiblePairFold {
    struct Violator: Sendable {
        var rc: Int64
        var mentor: Int32
        var mentee: Int32
        var points: Int32
    }

    let potential: [Int64]
    let mentorBase: Int
    let layerBase: Int
    let menteeBase: Int
    let layer: DepartmentLayer
    /// Mentor slot at each scan position.
    let slotAt: [Int32]
    let capacity: [Int]
    let places: [Int]
    let minPoints: Int?
    let pairGain: PairGain
    let locked: Set<UInt64>
    let inSet: Set<UInt64>
    let limit: Int
    /// The highest mentor potential: a mentee whose own potential is at least this plus the best gain has no violator.
    let maxMentorPotential: Int64
    let maxGain: Int64
    /// The previous pass over the same pairs and gains, if any.
    let previous: PricingMemory?
    /// Only pairs with a reduced cost below this (≤ 0) are violators: a pass that looks for
    /// pairs worth a whole coverage weight passes minus the largest gain (no memory is kept of it).
    var cut: Int64 = 0
    /// Per scan position, the potential a pair's arc enters when there are no department
    /// nodes (−2 · ``unbounded`` for a mentor without room: its pairs never price out). One
    /// look-up, in the order a mentee's pairs come, instead of two by slot (capacity, then
    /// the node potential): those missed the cache on most pairs of a pass over 713 M.
    private let mentorPotential: [Int64]
    /// Per scan position: the mentor's first department node (index among the layer's
    /// nodes, `split · departments`) when it has room and department nodes, else −1.
    private let layerFirst: [Int32]
    /// Per scan position: whether the mentor is at the location_reach location (empty without a priced reach rule).
    private let atLocation: [Bool]
    /// The largest rise of a target's potential since `previous`.
    let shift: Int64
    private var mentee = 0
    private var menteePotential: Int64 = 0
    private var current: [Violator] = []
    /// The lowest non-negative reduced cost of the current mentee's left-out pairs.
    private var lowestAbove = Int64.max
    var found: [Violator] = []
    /// Per mentee seen by `begin`: the bound for ``PricingMemory/floor``.
    var floors: [(mentee: Int32, floor: Int64)] = []
    /// Mentees whose pairs were read.
    var read = 0

    init(
        potential: [Int64], nodes: MatchNetworkLayout, layer: DepartmentLayer, slotAt: [Int32], capacity: [Int], places: [Int],
        minPoints: Int?, pairGain: PairGain,
        maxPoints: Int, locked: Set<UInt64>, inSet: Set<UInt64>, limit: Int, previous: PricingMemory? = nil
    ) {
        self.potential = potential
        self.mentorBase = nodes.mentorBase
        self.layerBase = nodes.layerBase
        self.menteeBase = nodes.mentee(0)
        self.layer = layer
        self.slotAt = slotAt
        self.capacity = capacity
        self.places = places
        self.minPoints = minPoints
        self.pairGain = pairGain
        self.locked = locked
        self.inSet = inSet
        self.limit = limit
        // Over every node a pair can end at (mentors with room, department nodes):
        // the highest potential, and its largest rise since `previous`.
        var top = Int64.min, rise = Int64.min
        let mentorBase = nodes.mentorBase, layerBase = nodes.layerBase
        let targets = capacity.indices.lazy.filter { capacity[$0] > 0 }.map { mentorBase + $0 }
        for v in Array(targets) + Array(layerBase..<potential.count) {
            top = max(top, potential[v])
            if let previous { rise = max(rise, potential[v] - previous.potential[v]) }
        }
        maxMentorPotential = top
        // Without room: a potential so low that the reduced cost stays above ``unbounded`` (no violator, no floor).
        mentorPotential = slotAt.map { capacity[Int($0)] > 0 ? potential[mentorBase + Int($0)] : -2 * Self.unbounded }
        layerFirst =
            layer.nodeCount == 0
            ? []
            : slotAt.map { slot in
                let ms = Int(slot)
                return capacity[ms] > 0 && layer.split[ms] >= 0 ? layer.split[ms] * Int32(layer.departments) : -1
            }
        atLocation = pairGain.atLocation.isEmpty ? [] : slotAt.map { pairGain.atLocation[Int($0)] }
        maxGain = pairGain.pointsScale * Int64(maxPoints) + pairGain.maxExtra
        self.previous = rise == Int64.min ? nil : previous
        shift = rise
    }

    /// Far above any reduced cost, far below overflow.
    static let unbounded = Int64.max / 4

    /// Starts a mentee; false when none of its pairs can price out.
    mutating func begin(mentee es: Int) -> Bool {
        guard places[es] > 0, maxMentorPotential != Int64.min else { return false }
        let node = menteeBase + es
        menteePotential = potential[node]
        // −gain + π(e) − π(m) ≥ 0 for every mentor m: nothing to find.
        let anyPair = -maxGain + menteePotential - maxMentorPotential
        if anyPair >= cut {
            floors.append((Int32(es), min(anyPair, Self.unbounded)))
            return false
        }
        if let previous, previous.floor[es] != Int64.min {
            let bound = previous.floor[es] + (menteePotential - previous.potential[node]) - shift
            if bound >= 0 {
                floors.append((Int32(es), min(max(bound, anyPair), Self.unbounded)))
                return false
            }
        }
        mentee = es
        current.removeAll(keepingCapacity: true)
        lowestAbove = Self.unbounded
        read += 1
        return true
    }

    /// A mentee's cached pairs: one tight loop on locals, violators (rare) handled out of
    /// line. Through `self`, each pair reloaded the fold's fields and stored the running
    /// minimum back (at 100k × 25k a pass over 713 M pairs is a second, not three). The same reduced cost as
    /// ``visit(mentee:position:points:)``, which serves walks without the cache.
    mutating func visit(mentee es: Int, codes: UnsafeBufferPointer<UInt16>) {
        let base = menteePotential, scale = pairGain.pointsScale
        let threshold = minPoints ?? Int.min
        // A department node's potential for this mentee: the mentor's first node + the mentee's department.
        let layerBase = self.layerBase + (layer.nodeCount == 0 ? 0 : Int(layer.menteeDept[es]))
        let extra = pairGain.atLocation.isEmpty ? 0 : (pairGain.outside[es] ? pairGain.outsideGain : pairGain.insideGain)
        var low = lowestAbove
        let cut = self.cut
        var violated: [(position: Int, points: Int, rc: Int64)] = []
        if layerFirst.isEmpty && minPoints == nil && atLocation.isEmpty {
            // Every plain solve: nothing but the pair's points and its mentor's potential.
            mentorPotential.withUnsafeBufferPointer { direct in
                EligibleCache.decode(codes) { i, p in
                    let rc = base - scale * Int64(p) - direct[i]
                    if rc >= cut { low = min(low, rc) } else { violated.append((i, p, rc)) }
                }
            }
        } else {
            mentorPotential.withUnsafeBufferPointer { direct in
                layerFirst.withUnsafeBufferPointer { layerFirst in
                    atLocation.withUnsafeBufferPointer { atLocation in
                        potential.withUnsafeBufferPointer { potential in
                            EligibleCache.decode(codes) { i, p in
                                guard p >= threshold else { return }
                                var entered = direct[i]
                                if !layerFirst.isEmpty && layerFirst[i] >= 0 { entered = potential[layerBase + Int(layerFirst[i])] }
                                var gain = scale * Int64(p)
                                if !atLocation.isEmpty && atLocation[i] { gain += extra }
                                let rc = base - gain - entered
                                if rc >= cut { low = min(low, rc) } else { violated.append((i, p, rc)) }
                            }
                        }
                    }
                }
            }
        }
        lowestAbove = low
        for v in violated { note(position: v.position, points: v.points, rc: v.rc) }
    }

    @inline(__always)
    mutating func visit(mentee _: Int, position i: Int, points p: Int) {
        if let t = minPoints, p < t { return }
        let entered: Int64
        if layer.nodeCount == 0 {
            entered = mentorPotential[i]
        } else {
            let ms = Int(slotAt[i])
            guard capacity[ms] > 0 else { return }
            entered = potential[layer.target(mentor: ms, mentee: mentee, mentorBase: mentorBase, layerBase: layerBase)]
        }
        let gain =
            pairGain.atLocation.isEmpty
            ? pairGain.pointsScale * Int64(p)
            : pairGain.gain(mentor: Int(slotAt[i]), mentee: mentee, points: p)
        let rc = -gain + menteePotential - entered
        guard rc < cut else {
            // In the set or not, it is a lower bound for the left-out pairs.
            lowestAbove = min(lowestAbove, rc)
            return
        }
        note(position: i, points: p, rc: rc)
    }

    /// A pair with a negative reduced cost: a violator unless it is locked or in the set
    /// (set look-ups only for these few).
    private mutating func note(position i: Int, points p: Int, rc: Int64) {
        let ms = Int(slotAt[i])
        let key = MatchInstance.pairKey(ms, mentee)
        if locked.contains(key) || inSet.contains(key) { return }
        current.append(Violator(rc: rc, mentor: Int32(ms), mentee: Int32(mentee), points: Int32(p)))
    }

    /// Keeps the mentee's `limit` most violated pairs — or only the most violated
    /// one when it is worth more than any points can be: it gains coverage (the
    /// mentee has no place it values on the candidate set), and one such pair is
    /// enough to fill that place; the flow solvers route its unit at once.
    mutating func end(mentee es: Int) {
        // What is not taken is left out: its reduced cost goes into the mentee's floor.
        var floor = lowestAbove
        if current.count > limit {
            // The `limit` most violated in order, found by selection (an unmatched mentee of a
            // 100k roster can have thousands of violators in the first pass; sorting them all
            // was a quarter of that pass).
            Self.selectLeast(&current, limit)
            floor = min(floor, current[limit].rc)
            current.removeLast(current.count - limit)
            current.sort { ($0.rc, $0.mentor) < ($1.rc, $1.mentor) }
        }
        if let most = current.min(by: { $0.rc < $1.rc }), most.rc < -maxGain {
            found.append(most)
            if current.count > 1 { floor = min(floor, current.lazy.filter { $0.mentor != most.mentor }.map(\.rc).min()!) }
        } else {
            found.append(contentsOf: current)
        }
        floors.append((Int32(es), floor))
    }
}

extension Pricer {
    /// Reorders `a` so that `a[k]` is the violator a sort by (reduced cost, mentor) would put
    /// there, with the ones before it no greater and the ones after no smaller (quickselect).
    static func selectLeast(_ a: inout [Violator], _ k: Int) {
        precondition(k >= 0 && k < a.count)
        @inline(__always) func less(_ x: Violator, _ y: Violator) -> Bool { (x.rc, x.mentor) < (y.rc, y.mentor) }
        a.withUnsafeMutableBufferPointer { v in
            var lo = 0, hi = v.count - 1
            while lo < hi {
                // Median of three as the pivot, then Hoare's partition.
                let mid = lo + (hi - lo) / 2
                if less(v[mid], v[lo]) { v.swapAt(mid, lo) }
                if less(v[hi], v[lo]) { v.swapAt(hi, lo) }
                if less(v[hi], v[mid]) { v.swapAt(hi, mid) }
                let pivot = v[mid]
                var i = lo, j = hi
                while i <= j {
                    while less(v[i], pivot) { i += 1 }
                    while less(pivot, v[j]) { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return }
            }
        }
    }

    /// Each mentor's `limit` most violated pairs of `found`, and every pair worth more
    /// than any points can be (it gains a mentee coverage); the mentees of the pairs left
    /// out get their floors lowered to cover them (they stay out, so the next pass must read them).
    func keepPerMentor(_ found: [Violator], limit: Int, floor: inout [Int64]) -> [Violator] {
        let sorted = found.sorted { ($0.mentor, $0.rc) < ($1.mentor, $1.rc) }
        var kept: [Violator] = []
        var run = 0
        for (i, v) in sorted.enumerated() {
            run = i > 0 && sorted[i - 1].mentor == v.mentor ? run + 1 : 0
            if run < limit || v.rc < -maxGain {
                kept.append(v)
            } else {
                floor[Int(v.mentee)] = min(floor[Int(v.mentee)], v.rc)
            }
        }
        return kept
    }
}

/// The eligible pairs whose reduced cost under a bounding flow's potentials is
/// within `room` (reduced-cost fixing): counted, or listed when `listing`.
struct PairsWithinRoom: EligiblePairFold {
    let room: Int64
    let potential: [Int64]
    let gain: PairGain
    let layer: DepartmentLayer
    /// Mentor slot at each scan position.
    let slotAt: [Int32]
    let nodes: MatchNetworkLayout
    var listing: Bool
    var count = 0
    var pairs: [(mentor: Int, mentee: Int)] = []

    @inline(__always)
    mutating func visit(mentee es: Int, position i: Int, points p: Int) {
        let ms = Int(slotAt[i])
        let target = layer.target(mentor: ms, mentee: es, mentorBase: nodes.mentorBase, layerBase: nodes.layerBase)
        guard -gain.gain(mentor: ms, mentee: es, points: p) + potential[nodes.mentee(es)] - potential[target] <= room else { return }
        count += 1
        if listing { pairs.append((ms, es)) }
    }
}
