import Foundation
import FlowEngine
import MatchModel

/// Solves programs without equity rules as a minimum-cost flow, exactly and
/// with a certificate, without ever holding every eligible pair.
///
/// Without equity rules SPEC 4 is a b-matching: source → mentee (first place
/// worth `W·coverage weight`, further places worth 0) → mentor (pair worth its
/// points) → sink (mentor capacity). With `W` larger than any possible
/// difference in total points, the profit `W·coverage + points` orders
/// solutions exactly as the lexicographic objective does, in one flow.
///
/// The flow is solved on a sparse candidate set — each mentee's best
/// ``candidatesPerMentee`` mentors — and then every other eligible pair is
/// priced with the flow's node potentials: a pair with negative reduced cost
/// joins the set and the flow is solved again. When no pair prices out, the
/// potentials are a dual certificate for the whole program: the answer is
/// optimal over all eligible pairs, not just the candidates.
///
/// `coverage_then_fairness` adds a binary search over the minimum points
/// (coverage-only flows restricted to pairs of at least T points) before the
/// final flow restricted to the best threshold.
public struct NetworkSolver {
    public let instance: MatchInstance
    public let index: MentorIndex
    /// Most pairs one mentee adds in one pricing round.
    public var pricingLimit = ProcessInfo.processInfo.environment["MENTORMATCH_PRICING_LIMIT"].flatMap { Int($0) } ?? 8
    /// Candidates per mentee before pricing.
    public var candidatesPerMentee = ProcessInfo.processInfo.environment["MENTORMATCH_CANDIDATES"].flatMap { Int($0) } ?? 24
    public var progress: ((String) -> Void)?
    /// Polled between phases and rounds (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Every eligible pair, when they fit the cache budget (filled by ``solve()``).
    private(set) var eligible: EligibleCache?

    /// Eligible mentor slots of a mentee (from the cache when there is one).
    public func eligibleMentors(of es: Int) -> [Int] {
        if let c = eligible { return c.mentor[c.start[es]..<c.start[es + 1]].map(Int.init) }
        return index.eligibleMentors(of: es)
    }

    public init(instance: MatchInstance) {
        self.instance = instance
        index = MentorIndex(instance)
    }

    /// Whether the network is exact for this policy (equity rules are side constraints it cannot express).
    public static func supports(_ policy: Policy) -> Bool { policy.equity.isEmpty }

    struct Flow {
        var pairs: [(mentor: Int, mentee: Int)]
        var rounds: Int
        var arcs: Int
        var nodes: Int
        var complete: Bool
        var seconds: Double
    }

    public mutating func solve() throws -> SolveOutcome {
        let clock = Clock(limit: instance.policy.solver.timeLimitSeconds)
        let rules = instance.policy.rules
        let nMentees = instance.mentees.count
        var stages: [StageReport] = []

        // Locked pairs are fixed before the flow: they use a place on each side.
        let (locks, lockProblems) = instance.resolveLocks()
        var capacity = instance.capacity
        var places = Array(repeating: rules.mentorsPerMentee, count: nMentees)
        var prematched = Array(repeating: false, count: nMentees)
        var lockedKeys = Set<UInt64>()
        for l in locks {
            capacity[l.mentor] -= 1
            places[l.mentee] -= 1
            prematched[l.mentee] = true
            lockedKeys.insert(MatchInstance.pairKey(l.mentor, l.mentee))
        }
        var conflicts = lockProblems
        var families: [String] = []
        for (m, c) in capacity.enumerated() where c < 0 {
            conflicts.append("mentor \(instance.people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])")
            if !families.contains("mentor capacity") { families.append("mentor capacity") }
        }
        for (e, p) in places.enumerated() where p < 0 {
            conflicts.append("mentee \(instance.people[instance.mentees[e]].id) has \(rules.mentorsPerMentee - p) locked mentors but mentors_per_mentee is \(rules.mentorsPerMentee)")
            if !families.contains("rules.mentors_per_mentee") { families.append("rules.mentors_per_mentee") }
        }
        if !families.isEmpty { conflicts.insert("these rules cannot all hold: locked pairs + " + families.joined(separator: " + "), at: 0) }
        if !conflicts.isEmpty {
            return SolveOutcome(status: .infeasible, pairs: [], eligiblePairs: 0, objective: CohortCheck.objective(instance, pairs: []),
                                stages: [], conflicts: conflicts, proofNote: nil, finalModel: nil, seconds: clock.elapsed)
        }

        // One scan: count eligible pairs and keep each mentee's best candidates.
        progress?("scanning eligible pairs")
        let scanStart = DispatchTime.now()
        var eligibleCount = 0
        var pointsSeen = [Bool](repeating: false, count: 1001)
        var top = Array(repeating: [(mentor: Int32, points: Int32)](), count: nMentees)
        let k = candidatesPerMentee
        var cache: EligibleCache? = EligibleCache(mentees: nMentees)
        for es in 0..<nMentees {
            var best: [(mentor: Int32, points: Int32)] = []
            best.reserveCapacity(k + 1)
            index.forEachEligible(mentee: es) { ms, p in
                eligibleCount += 1
                cache?.append(mentor: ms, points: p)
                if p >= 0 && p <= 1000 { pointsSeen[p] = true }
                guard capacity[ms] > 0, places[es] > 0, !lockedKeys.contains(MatchInstance.pairKey(ms, es)) else { return }
                if best.count == k, let last = best.last, Int32(p) <= last.points { return }
                var i = best.count
                while i > 0 && best[i - 1].points < Int32(p) { i -= 1 }
                best.insert((Int32(ms), Int32(p)), at: i)
                if best.count > k { best.removeLast() }
            }
            top[es] = best
            cache?.endMentee()
            if let c = cache, c.count > eligiblePairCacheLimit { cache = nil }  // stream from here on
        }
        eligible = cache
        let scanSeconds = Double(DispatchTime.now().uptimeNanoseconds - scanStart.uptimeNanoseconds) / 1e9
        progress?(String(format: "%d eligible pairs; %d candidates (%.2f s)", eligibleCount, top.reduce(0) { $0 + $1.count }, scanSeconds))

        // W exceeds any difference in total points between two cohorts.
        let maxPairs = min(places.reduce(0) { $0 + max($1, 0) }, capacity.reduce(0) { $0 + max($1, 0) })
        let w = Int64(1000) * Int64(maxPairs) + 1
        let scoreGain: (Int) -> Int64 = { Int64($0) }
        let weights = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        let coverageWeight: (Int) -> Int64 = { weights[$0] }

        func flow(_ name: String, minPoints: Int?, firstGain: (Int) -> Int64, pairGain: (Int) -> Int64) throws -> Flow {
            let r = try solveFlow(candidates: top, cache: cache, capacity: capacity, places: places, prematched: prematched,
                                  lockedKeys: lockedKeys, minPoints: minPoints, firstGain: firstGain, pairGain: pairGain,
                                  clock: clock)
            stages.append(StageReport(name: name, termination: r.complete ? .optimal : .timeLimit, objective: nil, bound: nil,
                                      seconds: r.seconds, variables: r.arcs, constraints: r.nodes))
            return r
        }

        var result = try flow("network: coverage and points", minPoints: nil,
                              firstGain: { w * coverageWeight($0) }, pairGain: scoreGain)
        var complete = result.complete
        var all = result.pairs + locks
        var objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        progress?("coverage \(objective.coverage), total points \(objective.totalPoints)")

        if instance.policy.objective == .coverageThenFairness && complete && !all.isEmpty {
            let coverage = objective.coverage
            let lockedMin = locks.map { instance.points(mentor: $0.mentor, mentee: $0.mentee) }.min() ?? 1000
            var lo = objective.minPoints
            var hi = min(1000, lockedMin)
            var bestFair = all
            while lo < hi && complete {
                // Only point values that occur can be a minimum.
                var mid = (lo + hi + 1) / 2
                while mid <= hi && !pointsSeen[mid] { mid += 1 }
                if mid > hi { hi = (lo + hi + 1) / 2 - 1; continue }
                let r = try flow("network: coverage with pairs ≥ \(mid)", minPoints: mid,
                                 firstGain: coverageWeight, pairGain: { _ in 0 })
                complete = r.complete
                let pairs = r.pairs + locks
                let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
                if o.coverage >= coverage {
                    lo = max(mid, o.minPoints)
                    bestFair = pairs
                } else {
                    hi = mid - 1
                }
            }
            progress?("minimum points \(lo)")
            if complete {
                let r = try flow("network: coverage and points with pairs ≥ \(lo)", minPoints: lo,
                                 firstGain: { w * coverageWeight($0) }, pairGain: scoreGain)
                complete = r.complete
                result = r
                all = r.pairs + locks
            } else {
                all = bestFair
            }
            objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        }

        let broken = CohortCheck.violations(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        if !broken.isEmpty {
            throw SolverFailure(message: "the network solution failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        var outcome = SolveOutcome(status: complete ? .optimal : .timeLimit, pairs: all.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
                                   eligiblePairs: eligibleCount, objective: objective, stages: stages, conflicts: [],
                                   proofNote: complete ? nil : "stopped before the flow was proven optimal; the cohort is feasible",
                                   finalModel: nil, seconds: clock.elapsed)
        outcome.scanSeconds = scanSeconds
        return outcome
    }

    /// Solves one flow on the candidate set, prices every other eligible pair
    /// with the potentials, and repeats until none has a negative reduced cost.
    private func solveFlow(candidates initial: [[(mentor: Int32, points: Int32)]], cache: EligibleCache?, capacity: [Int], places: [Int],
                           prematched: [Bool], lockedKeys: Set<UInt64>, minPoints: Int?,
                           firstGain: (Int) -> Int64, pairGain: (Int) -> Int64, clock: Clock) throws -> Flow {
        let started = DispatchTime.now()
        let nE = instance.mentees.count, nM = instance.mentors.count
        var cand = initial
        if let t = minPoints { cand = cand.map { $0.filter { Int($0.points) >= t } } }
        var inSet = Set<UInt64>()
        for (es, list) in cand.enumerated() { for c in list { inSet.insert(MatchInstance.pairKey(Int(c.mentor), es)) } }
        let s = 0, t = 1
        func menteeNode(_ es: Int) -> Int { 2 + es }
        func mentorNode(_ ms: Int) -> Int { 2 + nE + ms }
        var net = MinCostFlow(nodeCount: 2 + nE + nM)
        // Every mentee with a free place gets its source arcs, candidates or not,
        // so its potential is tied down and pricing covers all of its pairs.
        for es in 0..<nE where places[es] > 0 {
            if prematched[es] {
                net.addArc(from: s, to: menteeNode(es), capacity: places[es], cost: 0)
            } else {
                net.addArc(from: s, to: menteeNode(es), capacity: 1, cost: -firstGain(es))
                if places[es] > 1 { net.addArc(from: s, to: menteeNode(es), capacity: places[es] - 1, cost: 0) }
            }
        }
        for ms in 0..<nM where capacity[ms] > 0 {
            net.addArc(from: mentorNode(ms), to: t, capacity: capacity[ms], cost: 0)
        }
        var pairArcs: [(arc: Int, mentor: Int, mentee: Int)] = []
        func addPairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) {
            let id = net.addArc(from: menteeNode(es), to: mentorNode(Int(c.mentor)), capacity: 1, cost: -pairGain(Int(c.points)))
            pairArcs.append((id.index, Int(c.mentor), es))
        }
        for es in 0..<nE where places[es] > 0 { for c in cand[es] where capacity[Int(c.mentor)] > 0 { addPairArc(es, c) } }
        let stopNow = { self.shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) }
        let useScaling = ProcessInfo.processInfo.environment["MENTORMATCH_FLOW"] != "primal-dual"
        func coldSolve() -> (MinCostFlow.Solution, Bool) {
            let r = useScaling ? net.solveByCostScaling(source: s, sink: t, stop: stopNow) : net.solve(source: s, sink: t, stop: stopNow)
            return (r.solution, r.complete)
        }
        var (sol, complete) = coldSolve()
        progress?(String(format: "flow on %d arcs: %d phases (%.2f s)", net.arcCount, sol.phases,
                         Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9))
        var rounds = 1
        while true {
            var chosen = pairArcs.filter { sol.flow[$0.arc] > 0 }.map { (mentor: $0.mentor, mentee: $0.mentee) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            if !complete {
                // Stopped mid-refinement, the pseudo-flow need not be conserved:
                // keep the pairs that fit the places and capacities (a feasible cohort).
                var load = Array(repeating: 0, count: nM), taken = Array(repeating: 0, count: nE)
                chosen = chosen.filter { p in
                    guard load[p.mentor] < capacity[p.mentor], taken[p.mentee] < places[p.mentee] else { return false }
                    load[p.mentor] += 1
                    taken[p.mentee] += 1
                    return true
                }
                return Flow(pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: false, seconds: seconds)
            }
            guard net.certifies(sol, source: s, sink: t) else {
                throw SolverFailure(message: "the flow's potentials do not certify its optimality")
            }
            // Pricing: every eligible pair outside the set, with the potentials.
            let pi = sol.potential
            let maxGain = pairGain(1000)
            var maxMentorPi = Int64.min
            for ms in 0..<nM where capacity[ms] > 0 { maxMentorPi = max(maxMentorPi, pi[mentorNode(ms)]) }
            var added = 0
            var violators: [(rc: Int64, mentor: Int32, points: Int32)] = []
            for es in 0..<nE where places[es] > 0 {
                let pe = pi[menteeNode(es)]
                // No pair of this mentee can price out: −gain + π(e) − π(m) ≥ 0 for all m.
                if maxMentorPi == Int64.min || -maxGain + pe - maxMentorPi >= 0 { continue }
                // Reduced cost first (cheap), set look-ups only for the rare violator.
                violators.removeAll(keepingCapacity: true)
                func consider(_ ms: Int, _ p: Int) {
                    guard capacity[ms] > 0 else { return }
                    if let t = minPoints, p < t { return }
                    let rc = -pairGain(p) + pe - pi[mentorNode(ms)]
                    guard rc < 0 else { return }
                    let key = MatchInstance.pairKey(ms, es)
                    if lockedKeys.contains(key) || inSet.contains(key) { return }
                    violators.append((rc, Int32(ms), Int32(p)))
                }
                if let cache {
                    for i in cache.start[es]..<cache.start[es + 1] { consider(Int(cache.mentor[i]), Int(cache.points[i])) }
                } else {
                    index.forEachEligible(mentee: es) { ms, p in consider(ms, p) }
                }
                // The most violated pairs first; the rest wait for the next round's prices.
                if violators.count > pricingLimit {
                    violators.sort { ($0.rc, $0.mentor) < ($1.rc, $1.mentor) }
                    violators.removeLast(violators.count - pricingLimit)
                }
                for v in violators {
                    inSet.insert(MatchInstance.pairKey(Int(v.mentor), es))
                    addPairArc(es, (v.mentor, v.points))
                }
                added += violators.count
            }
            let now = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            progress?(String(format: "pricing round %d: %d arcs, %d phases; %d pairs priced in (%.2f s)",
                             rounds, net.arcCount, sol.phases, added, now))
            if added == 0 {
                return Flow(pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: true, seconds: seconds)
            }
            rounds += 1
            // A few new arcs: repair the previous optimum; many: solve afresh (cheaper
            // than one shortest path per saturated arc).
            if useScaling {
                let r = net.solveByCostScaling(source: s, sink: t, warm: sol, stop: stopNow)
                (sol, complete) = (r.solution, r.complete)
            } else if added <= max(200, net.arcCount / 10) {
                (sol, complete) = net.reoptimize(source: s, sink: t, from: sol, stop: stopNow)
            } else {
                (sol, complete) = coldSolve()
            }
        }
    }
}

/// Every eligible pair with its points, kept from the first scan so pricing
/// never scores a pair twice (6 bytes a pair; dropped above a budget).
struct EligibleCache {
    var mentor: [Int32] = []
    var points: [Int16] = []
    var start: [Int]

    init(mentees: Int) {
        start = [0]
        start.reserveCapacity(mentees + 1)
    }

    var count: Int { mentor.count }

    mutating func append(mentor ms: Int, points p: Int) {
        mentor.append(Int32(ms))
        points.append(Int16(clamping: p))
    }

    mutating func endMentee() { start.append(mentor.count) }
}

/// Above this many eligible pairs (about 1.2 GB cached), pricing re-scores instead.
let eligiblePairCacheLimit = 200_000_000

/// An internal failure of a solver (a bug, never bad input).
public struct SolverFailure: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { "solver failure: \(message)" }
}
