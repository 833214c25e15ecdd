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
    let layer: DepartmentLayer
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
    private var mentee = 0
    private var menteePotential: Int64 = 0
    private var current: [Violator] = []
    var found: [Violator] = []

    init(potential: [Int64], mentorBase: Int, layerBase: Int, layer: DepartmentLayer, capacity: [Int], places: [Int],
         minPoints: Int?, pairGain: PairGain,
         maxPoints: Int, locked: Set<UInt64>, inSet: Set<UInt64>, limit: Int) {
        self.potential = potential
        self.mentorBase = mentorBase
        self.layerBase = layerBase
        self.layer = layer
        self.capacity = capacity
        self.places = places
        self.minPoints = minPoints
        self.pairGain = pairGain
        self.locked = locked
        self.inSet = inSet
        self.limit = limit
        var top = Int64.min
        for ms in capacity.indices where capacity[ms] > 0 { top = max(top, potential[mentorBase + ms]) }
        for v in layerBase..<potential.count { top = max(top, potential[v]) }
        maxMentorPotential = top
        maxGain = pairGain.pointsScale * Int64(maxPoints) + pairGain.maxExtra
    }

    /// Starts a mentee; false when none of its pairs can price out.
    mutating func begin(mentee es: Int) -> Bool {
        guard places[es] > 0, maxMentorPotential != Int64.min else { return false }
        // Mentee nodes come just before the mentor nodes, one per mentee slot.
        menteePotential = potential[mentorBase - places.count + es]
        // −gain + π(e) − π(m) ≥ 0 for every mentor m: nothing to find.
        if -maxGain + menteePotential - maxMentorPotential >= 0 { return false }
        mentee = es
        current.removeAll(keepingCapacity: true)
        return true
    }

    @inline(__always)
    mutating func visit(mentee _: Int, mentor ms: Int, points p: Int) {
        guard capacity[ms] > 0 else { return }
        if let t = minPoints, p < t { return }
        let target = layer.target(mentor: ms, mentee: mentee, mentorBase: mentorBase, layerBase: layerBase)
        let rc = -pairGain.gain(mentor: ms, mentee: mentee, points: p) + menteePotential - potential[target]
        guard rc < 0 else { return }
        // Set look-ups only for the rare violator.
        let key = MatchInstance.pairKey(ms, mentee)
        if locked.contains(key) || inSet.contains(key) { return }
        current.append(Violator(rc: rc, mentor: Int32(ms), mentee: Int32(mentee), points: Int32(p)))
    }

    /// Keeps the mentee's `limit` most violated pairs — or only the most violated
    /// one when it is worth more than any points can be: it gains coverage (the
    /// mentee has no place it values on the candidate set), and one such pair is
    /// enough to fill that place; the flow solvers route its unit at once.
    mutating func end(mentee _: Int) {
        if current.count > limit {
            current.sort { ($0.rc, $0.mentor) < ($1.rc, $1.mentor) }
            current.removeLast(current.count - limit)
        }
        if let most = current.min(by: { $0.rc < $1.rc }), most.rc < -maxGain {
            found.append(most)
        } else {
            found.append(contentsOf: current)
        }
    }
}

/// The eligible pairs whose reduced cost under a bounding flow's potentials is
/// within `room` (reduced-cost fixing): counted, or listed when `listing`.
struct PairsWithinRoom: EligiblePairFold {
    let room: Int64
    let potential: [Int64]
    let gain: PairGain
    let layer: DepartmentLayer
    let mentorBase: Int
    let layerBase: Int
    var listing: Bool
    var count = 0
    var pairs: [(mentor: Int, mentee: Int)] = []

    @inline(__always)
    mutating func visit(mentee es: Int, mentor ms: Int, points p: Int) {
        let target = layer.target(mentor: ms, mentee: es, mentorBase: mentorBase, layerBase: layerBase)
        // Mentee nodes come just before the mentor nodes (node 2 + slot).
        guard -gain.gain(mentor: ms, mentee: es, points: p) + potential[2 + es] - potential[target] <= room else { return }
        count += 1
        if listing { pairs.append((ms, es)) }
    }
}
