import FlowEngine
import Foundation
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
/// ``NetworkTuning/candidatesPerMentee`` mentors, each mentor's best ``NetworkTuning/mentorCandidates``
/// mentees and ``NetworkTuning/scatteredCandidates`` more at a fixed pseudo-random rank (so
/// that mentors' places can be filled on the set) — and then every other eligible pair is
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
    public let scanner: PairScanner
    /// Candidate sets, pricing and flow algorithm settings.
    public var tuning = NetworkTuning()
    /// Fewer coverage-gaining pairs than this are not worth solving the coverage problem again for.
    public var coverageRepriceMinimum = 64
    /// The pairs that can still matter after side-rule pricing are listed
    /// only up to this many (beyond, only counted: nothing would use them).
    public var sideRulePairLimit = 400_000
    /// Up to this many eligible pairs, every flow that breaks an access/reach rule is also
    /// repaired into a cohort that keeps them all (``RuleRepair``): the heuristic lists every pair.
    public var ruleRepairPairLimit = 500_000
    /// Solve without the rules the network cannot express (group and department access, location reach)
    /// and report which of them the answer breaks (``SolveOutcome/unmetSideConstraints``). The optimum
    /// of this relaxation is the program's optimum whenever it breaks none.
    public var relaxSideConstraints = false
    public var progress: ((String) -> Void)?
    /// Polled between phases and rounds (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Every eligible pair, when they fit the cache budget (filled by ``solve()``).
    private(set) var eligible: EligibleCache?
    /// More mentor scan positions than this: no cache (its positions are two bytes); tests lower it.
    var cachePositionLimit = EligibleCache.positionLimit

    /// Eligible mentor slots of a mentee (from the cache when there is one).
    public func eligibleMentors(of es: Int) -> [Int] {
        if eligible != nil { return eligiblePairs(of: es).map(\.mentor) }
        return scanner.eligibleMentors(of: es)
    }

    /// Eligible (mentor slot, points) of a mentee, from the cache when there is one, else by a scan.
    func eligiblePairs(of es: Int) -> [(mentor: Int, points: Int)] {
        var out: [(mentor: Int, points: Int)] = []
        if let c = eligible {
            let (seg, range) = c.locate(es)
            c.segments[seg].codes[range].withUnsafeBufferPointer { codes in
                EligibleCache.decode(codes) { i, p in out.append((Int(scanner.slotAtPosition[i]), p)) }
            }
        } else {
            scanner.spare.with { scanner.forEachEligible(mentee: es, scratch: &$0) { out.append(($0, $1)) } }
        }
        return out
    }

    public init(instance: MatchInstance) {
        self.instance = instance
        scanner = PairScanner(instance)
    }

    /// Whether the network is exact for this policy (equity rules are side constraints it cannot express).
    /// `max_same_department_per_mentor` is a network rule too: a mentor with more places than the cap
    /// receives mentees through one node per department, each capped.
    public static func supports(_ policy: Policy) -> Bool {
        var rest = policy.equity
        rest.maxSameDepartmentPerMentor = nil
        return rest.isEmpty
    }

    struct Flow {
        var pairs: [(mentor: Int, mentee: Int)]
        var rounds: Int
        var arcs: Int
        var nodes: Int
        var complete: Bool
        var seconds: Double
        /// The pair arcs in network order and the final flow (its potentials: mentee node 2 + e,
        /// mentor 2 + E + m, department layer after): a warm start for the same arcs with other gains.
        var order: [(mentee: Int32, mentor: Int32, points: Int32)] = []
        var solution: MinCostFlow.Solution?
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
            conflicts.append(
                "mentor \(instance.people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])"
            )
            if !families.contains("mentor capacity") { families.append("mentor capacity") }
        }
        for (e, p) in places.enumerated() where p < 0 {
            conflicts.append(
                "mentee \(instance.people[instance.mentees[e]].id) has \(rules.mentorsPerMentee - p) locked mentors but mentors_per_mentee is \(rules.mentorsPerMentee)"
            )
            if !families.contains("rules.mentors_per_mentee") { families.append("rules.mentors_per_mentee") }
        }
        let layer = DepartmentLayer(instance: instance, scanner: scanner, locks: locks)
        for (ms, dept, count) in layer.overfull {
            conflicts.append(
                "mentor \(instance.people[instance.mentors[ms]].id) has \(count) locked mentees from department \(dept) but max_same_department_per_mentor is \(layer.cap)"
            )
            if !families.contains("equity.max_same_department_per_mentor") { families.append("equity.max_same_department_per_mentor") }
        }
        if !families.isEmpty { conflicts.insert("these rules cannot all hold: locked pairs + " + families.joined(separator: " + "), at: 0) }
        if !conflicts.isEmpty {
            return SolveOutcome(
                status: .infeasible, pairs: [], eligiblePairs: 0, objective: CohortCheck.objective(instance, pairs: []),
                stages: [], conflicts: conflicts, proof: nil, finalModel: nil, seconds: clock.elapsed)
        }

        // One scan on every core: count eligible pairs, keep each mentee's best candidates
        // and (within the memory budget) every eligible pair for pricing.
        progress?("scanning eligible pairs")
        let scanStart = DispatchTime.now()
        let k = tuning.candidatesPerMentee
        let chunkBudget = eligibleCacheCodeLimit / (ProcessInfo.processInfo.activeProcessorCount * 8)
        let scanCapacity = capacity, scanPlaces = places, scanLocked = lockedKeys, positionLimit = cachePositionLimit
        let scanner = self.scanner
        let mentorSide = tuning.mentorCandidates
        // A mentor with department nodes also gets the best mentees of each department
        // (else the cap leaves most of its departments without arcs).
        let layerSide = mentorSide > 0 && layer.nodeCount > 0 ? max(2, 2 * layer.cap) : 0
        let scatteredSide = mentorSide > 0 ? tuning.scatteredCandidates : 0
        let positions = scanner.slotAtPosition.count
        // Each mentor's best mentees join the candidates too, so no mentor is left
        // without arcs (and with a potential of zero) by the mentees' own choices:
        // gathered during the scan, one list per core (split per chunk, each chunk's
        // lists would take a quarter of its offers).
        let slotAt = scanner.slotAtPosition
        let noSide = MentorSideCandidates(
            best: BestMentees(mentors: positions, keep: mentorSide),
            scattered: BestMentees(mentors: positions, keep: scatteredSide),
            layerBest: BestMentees(mentors: layer.nodeCount, keep: layerSide),
            places: scanPlaces, hasRoom: slotAt.map { scanCapacity[Int($0)] > 0 },
            slotAt: slotAt, locked: scanLocked, layer: layer)
        let (parts, sides) = scanner.scan(lanes: { noSide }) { range, scratch, side in
            var part = ScanPart(range: range, keepPairs: positions <= positionLimit)
            // One mentee's pairs go to raw buffers (a window visits each position once),
            // then into the segment in one copy: no array checks per pair.
            let pendingPosition = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, positions))
            let pendingPoints32 = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, positions))
            let pendingCodes = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, 3 * positions))
            let seen = UnsafeMutablePointer<Bool>.allocate(capacity: 1001)
            seen.initialize(repeating: false, count: 1001)
            defer {
                pendingPosition.deallocate()
                pendingPoints32.deallocate()
                pendingCodes.deallocate()
                seen.deallocate()
            }
            for (done, es) in range.enumerated() {
                var best: [(mentor: Int32, points: Int32)] = []
                best.reserveCapacity(k + 1)
                let wanted = scanPlaces[es] > 0
                var most = 0
                // The pairs first (a tight loop without calls), then what is kept of them.
                let n = scanner.collectEligible(mentee: es, scratch: &scratch, positions: pendingPosition, points: pendingPoints32)
                for j in 0..<n {
                    let i = Int(pendingPosition[j]), p = Int(pendingPoints32[j])
                    if p <= 1000 { seen[p] = true } else { part.saw(p) }
                    most = max(most, p)
                    guard wanted else { continue }
                    if mentorSide > 0 { side.visit(mentee: es, position: i, points: p) }
                    // The cheap test first: most pairs are below the mentee's k-th best.
                    if best.count == k, let last = best.last, Int32(p) <= last.points { continue }
                    let ms = Int(slotAt[i])
                    guard scanCapacity[ms] > 0 else { continue }
                    if !scanLocked.isEmpty && scanLocked.contains(MatchInstance.pairKey(ms, es)) { continue }
                    var at = best.count
                    while at > 0 && best[at - 1].points < Int32(p) { at -= 1 }
                    best.insert((Int32(ms), Int32(p)), at: at)
                    if best.count > k { best.removeLast() }
                }
                part.top.append(best)
                part.count += n
                part.maxPoints = max(part.maxPoints, most)
                if part.keepPairs {
                    let words = EligibleCache.encode(positions: pendingPosition, points: pendingPoints32, count: n, into: pendingCodes)
                    part.segment.append(codes: pendingCodes, count: words)
                    // A sixteenth in, room for the rest as projected (growing by doubling copies the pairs).
                    if done + 1 == max(1, range.count / 16) {
                        part.segment.reserveCapacity(min(chunkBudget, part.segment.codes.count * range.count / (done + 1) * 9 / 8))
                    }
                    if part.segment.codes.count > chunkBudget || part.maxPoints > Int(UInt16.max) {
                        part.keepPairs = false
                        part.segment = EligibleCache.Segment(first: range.lowerBound)
                    }
                }
            }
            for p in 0...1000 where seen[p] { part.pointsSeen[p] = true }
            return part
        }
        var eligibleCount = 0
        var pointsSeen = Set<Int>()
        var maxPoints = 0
        var top: [[(mentor: Int32, points: Int32)]] = []
        top.reserveCapacity(nMentees)
        var cache: EligibleCache? = parts.allSatisfy(\.keepPairs) ? EligibleCache() : nil
        for part in parts {
            eligibleCount += part.count
            for p in 0...1000 where part.pointsSeen[p] { pointsSeen.insert(p) }
            pointsSeen.formUnion(part.otherPoints)
            maxPoints = max(maxPoints, part.maxPoints)
            top.append(contentsOf: part.top)
            cache?.segments.append(part.segment)
        }
        eligible = cache
        if mentorSide > 0 {
            var merged = sides[0]
            for side in sides.dropFirst() {
                merged.best.absorb(side.best)
                merged.scattered.absorb(side.scattered)
                merged.layerBest.absorb(side.layerBest)
            }
            for (i, slot) in slotAt.enumerated() {
                let ms = Int(slot)
                for (es, key) in merged.best.list(of: i) + merged.scattered.list(of: i)
                where !top[es].contains(where: { Int($0.mentor) == ms }) {
                    top[es].append((Int32(ms), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)))
                }
            }
            for node in 0..<layer.nodeCount {
                let ms = layer.nodes[node].mentor
                for (es, key) in merged.layerBest.list(of: node) where !top[es].contains(where: { Int($0.mentor) == ms }) {
                    top[es].append((Int32(ms), Int32(key)))
                }
            }
        }
        let scanSeconds = Double(DispatchTime.now().uptimeNanoseconds - scanStart.uptimeNanoseconds) / 1e9
        progress?(String(format: "%d eligible pairs; %d candidates (%.2f s)", eligibleCount, top.reduce(0) { $0 + $1.count }, scanSeconds))

        // W exceeds any difference in total points between two cohorts.
        let maxPairs = min(places.reduce(0) { $0 + max($1, 0) }, capacity.reduce(0) { $0 + max($1, 0) })
        let w = Int64(maxPoints) * Int64(maxPairs) + 1
        let weights = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        let coverageWeight: (Int) -> Int64 = { weights[$0] }

        func flow(
            _ name: String, minPoints: Int?, firstGain: (Int) -> Int64, pairGain: PairGain,
            warm: Flow? = nil
        ) throws -> Flow {
            let r = try solveFlow(
                candidates: top, capacity: capacity, places: places, prematched: prematched, layer: layer,
                lockedKeys: lockedKeys, minPoints: minPoints, warm: warm, maxPoints: maxPoints, firstGain: firstGain, pairGain: pairGain,
                clock: clock)
            stages.append(
                StageReport(
                    name: name, termination: r.complete ? .optimal : .timeLimit, objective: nil, bound: nil,
                    seconds: r.seconds, variables: r.arcs, constraints: r.nodes))
            return r
        }

        var result = try flow(
            "network: coverage and points", minPoints: nil,
            firstGain: { w * coverageWeight($0) }, pairGain: PairGain(pointsScale: 1))
        var complete = result.complete
        var all = result.pairs + locks
        var objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        progress?("coverage \(objective.coverage), total points \(objective.totalPoints)")

        if instance.policy.objective == .coverageThenFairness && complete && !all.isEmpty {
            let coverage = objective.coverage
            let lockedMin = locks.map { instance.points(mentor: $0.mentor, mentee: $0.mentee) }.min() ?? maxPoints
            var lo = objective.minPoints
            var hi = min(maxPoints, lockedMin)
            var bestFair = all
            while lo < hi && complete {
                // Only point values that occur can be a minimum.
                var mid = (lo + hi + 1) / 2
                while mid <= hi && !pointsSeen.contains(mid) { mid += 1 }
                if mid > hi {
                    hi = (lo + hi + 1) / 2 - 1
                    continue
                }
                let r = try flow(
                    "network: coverage with pairs ≥ \(mid)", minPoints: mid,
                    firstGain: coverageWeight, pairGain: PairGain(pointsScale: 0))
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
                let r = try flow(
                    "network: coverage and points with pairs ≥ \(lo)", minPoints: lo,
                    firstGain: { w * coverageWeight($0) }, pairGain: PairGain(pointsScale: 1))
                complete = r.complete
                result = r
                all = r.pairs + locks
            } else {
                all = bestFair
            }
            objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        }

        var sideFamilies = Set<RuleFamily>(instance.policy.equity.groupAccess.map { .groupAccess(attribute: $0.attribute) })
        sideFamilies.formUnion([.departmentAccess, .locationReach])
        let broken = CohortCheck.violations(
            instance, pairs: all.map { ($0.mentor, $0.mentee) },
            disabled: relaxSideConstraints ? sideFamilies : [])
        if !broken.isEmpty {
            throw SolverFailure(message: "the network solution failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        // Stopped: what still holds without the flow. Every mentee with a place and an eligible
        // mentor with room is matched at most once (coverage), and each of its places earns at
        // most its best pairs' points (each mentee's best pairs are among its candidates).
        var stoppedProof: Proof?
        if !complete {
            var coverageBound = 0, pointsBound = 0
            for l in locks { pointsBound += instance.points(mentor: l.mentor, mentee: l.mentee) }
            for es in 0..<nMentees {
                let counted = prematched[es] || (places[es] > 0 && !top[es].isEmpty)
                if counted { coverageBound += Int(weights[es]) }
                guard places[es] > 0, !top[es].isEmpty else { continue }
                pointsBound += top[es].map { Int($0.points) }.sorted(by: >).prefix(places[es]).reduce(0, +)
            }
            // The points bound holds at the best coverage only: stated when this cohort has it.
            stoppedProof = Proof(
                ending: .stopped, coverageBound: max(coverageBound, objective.coverage),
                pointsBound: objective.coverage < coverageBound ? nil : pointsBound)
        }
        var outcome = SolveOutcome(
            status: complete ? .optimal : .timeLimit, pairs: all.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
            eligiblePairs: eligibleCount, objective: objective, stages: stages, conflicts: [],
            proof: stoppedProof,
            finalModel: nil, seconds: clock.elapsed)
        outcome.scanSeconds = scanSeconds
        if relaxSideConstraints {
            let unmet = CohortCheck.violations(instance, pairs: all.map { ($0.mentor, $0.mentee) })
            outcome.unmetSideConstraints = unmet
            if unmet.isEmpty && complete {
                outcome.stages.append(
                    StageReport(
                        name: "check: every access/reach rule holds at this optimum without them, so it is optimal",
                        termination: .optimal, objective: nil, bound: nil, seconds: 0, variables: 0, constraints: 0))
            } else if complete, instance.policy.objective == .coverageThenScore, let rows = SideRow.rows(instance) {
                // Price the broken rules into the flow (Lagrangian relaxation): every flow's
                // value bounds the program's optimum, every flow that meets the rules is a cohort.
                let repair = eligibleCount <= ruleRepairPairLimit ? ruleRepair(rows: rows, w: w) : nil
                let priced = try priceSideRules(
                    rows: rows, w: w, maxPoints: maxPoints, weights: weights, prematched: prematched, locks: locks,
                    layer: layer, relaxedFlow: result, ruleRepair: repair, clock: clock
                ) { name, firstGain, pairGain, warm in
                    try flow(name, minPoints: nil, firstGain: firstGain, pairGain: pairGain, warm: warm)
                }
                outcome.stages = stages
                if let best = priced.cohort {
                    let o = CohortCheck.objective(instance, pairs: best.map { ($0.mentor, $0.mentee) })
                    outcome.sideRuleCohort = best.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
                    if priced.proven {
                        outcome.pairs = outcome.sideRuleCohort!
                        outcome.objective = o
                        outcome.unmetSideConstraints = []
                        outcome.stages.append(
                            StageReport(
                                name: "side rules priced into the flow: the best cohort meeting them reaches the bound",
                                termination: .optimal, objective: Double(o.totalPoints), bound: nil,
                                seconds: 0, variables: 0, constraints: 0))
                    }
                }
                outcome.sideRuleBound = priced.bound.map { (coverage: Int($0 / w), points: Int($0 % w)) }
                if !priced.proven {
                    outcome.sideRulePairs = priced.pairsThatMatter?.pairs
                    outcome.sideRulePairCount = priced.pairsThatMatter?.count
                }
                outcome.seconds = clock.elapsed
            }
            // Whatever stopped the pricing or kept it from running (a stop, the fairness objective,
            // a share with no short decimal form): the answer so far, repaired rule by rule, is a
            // cohort that keeps every rule to report or to start from.
            if !unmet.isEmpty, outcome.sideRuleCohort == nil, eligibleCount <= ruleRepairPairLimit, let rows = SideRow.rows(instance),
                let r = ruleRepair(rows: rows, w: w).repair(all, locked: Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })),
                CohortCheck.violations(instance, pairs: r.map { ($0.mentor, $0.mentee) }).isEmpty
            {
                outcome.sideRuleCohort = r.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
            }
        }
        return outcome
    }

    /// Lagrangian relaxation of the access/reach rows on the flow. With prices λ ≥ 0 on
    /// the rows, a flow maximising `S·(W·coverage + points) + Σ λ·(row slack)` bounds every
    /// cohort that meets the rows (their slack is ≥ 0); each row's price is found by
    /// doubling then bisection on whether the flow meets it. Stops when a cohort that
    /// meets every rule reaches ⌊bound⌋ — proven optimal — or the prices converge.
    /// - Returns: the best cohort meeting every rule (locks included), the best bound in
    ///   `W·coverage + points` units (floored), and whether they meet.
    private func priceSideRules(
        rows: [SideRow], w: Int64, maxPoints: Int, weights: [Int64], prematched: [Bool],
        locks: [(mentor: Int, mentee: Int)], layer: DepartmentLayer, relaxedFlow: Flow,
        ruleRepair: RuleRepair?, clock: Clock,
        run: (String, (Int) -> Int64, PairGain, Flow) throws -> Flow
    )
        throws -> (
            cohort: [(mentor: Int, mentee: Int)]?, bound: Int64?, proven: Bool,
            pairsThatMatter: (count: Int, pairs: [(mentor: Int, mentee: Int)]?)?
        )
    {
        let nE = instance.mentees.count
        var lambda = [Int64](repeating: 0, count: rows.count)
        var low = [Int64](repeating: 0, count: rows.count)
        var high = [Int64?](repeating: nil, count: rows.count)
        var boundFlow: (potential: [Int64], gain: PairGain, pairs: [(mentor: Int, mentee: Int)])?
        var best: (pairs: [(mentor: Int, mentee: Int)], value: Int64)?
        let reach = rows.firstIndex { !$0.atLocation.isEmpty }
        func value(_ pairs: [(mentor: Int, mentee: Int)]) -> Int64 {
            let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
            return w * Int64(o.coverage) + Int64(o.totalPoints)
        }
        /// Every row's slack for a cohort.
        func slacks(_ pairs: [(mentor: Int, mentee: Int)]) -> [Int64] {
            var matched = [Bool](repeating: false, count: nE)
            for p in pairs { matched[p.mentee] = true }
            return rows.map { $0.slack(pairs: pairs, matched: matched) }
        }
        var current = relaxedFlow.pairs + locks
        let relaxedValue = value(current)
        // The best bound so far: `bound.value / bound.scale` in W·coverage + points units.
        var bound = (value: relaxedValue, scale: Int64(1))  // λ = 0: the relaxation itself
        func floored(_ b: (value: Int64, scale: Int64)) -> Int64 { MinCostFlow.floorDiv(b.value, b.scale) }
        var s = slacks(current)
        // Prices move in steps of a sixteenth of a point per whole unit of the largest
        // coefficient of a broken row: an access row's coefficients are about the number of
        // mentees, so with steps of 1/16 point per unit the smallest price was worth hundreds
        // of points per mentee, and no price could lower the bound (3k × 1k, seeds 3 and 4).
        // Costs stay far from overflow in the flow (W · scale per place).
        let scale: Int64 = {
            let largest = rows.indices.filter { s[$0] < 0 }.map { rows[$0].largestCoefficient }.max() ?? 1
            var scale = 16 * largest
            while scale > 16 && Int128(w) * Int128(scale) * 4 >= Int128(1) << 43 { scale /= 2 }
            return scale
        }()
        var broken: [(pairs: [(mentor: Int, mentee: Int)], value: Int64)] = [(current, relaxedValue)]
        var keeping: (pairs: [(mentor: Int, mentee: Int)], value: Int64)?
        // Every flow priced on one row alone: its price (in 1/scale points), value and that row's slack.
        var evaluated: [(row: Int, price: Int64, value: Int64, slack: Int64)] = []
        var tried = Set<[Int64]>()
        let repairer = CycleRepair(instance: instance, rows: rows, layer: layer, w: w)
        let lockedSlots = Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        // Warm starts: the previous flow on the same arcs, its prices in this loop's units.
        var last = relaxedFlow
        last.solution?.potential = relaxedFlow.solution?.potential.map { $0 * scale } ?? []
        var lastScale = scale
        // λ = 0: the relaxation's own optimum bounds every cohort until a priced flow bounds them
        // tighter — and its potentials serve the reduced-cost fixing below when none does (a 3k
        // program whose prices never lowered the bound went to the full GLPK model: 600 s).
        if let sol = relaxedFlow.solution, relaxedFlow.complete {
            boundFlow = (sol.potential, PairGain(pointsScale: 1), relaxedFlow.pairs)
        }

        /// Moves cohorts that keep every rule (the best so far, and the latest flow that keeps
        /// them: the nearest from above to the balancing prices) towards the flows that break
        /// them, cycle by cycle, while every rule holds.
        func repairTowardsBrokenFlows() {
            guard let b = best else { return }
            let bases = keeping.map { $0.value != b.value ? [b, $0] : [b] } ?? [b]
            for base in bases {
                for x in broken.sorted(by: { $0.value > $1.value }) where x.value > best!.value {
                    // The same two cohorts give the same repair: try each pair once.
                    guard tried.insert([base.value, x.value, Int64(base.pairs.count), Int64(x.pairs.count)]).inserted else { continue }
                    // Repeated: each repaired cohort starts the next repair (cycles differ each time).
                    var from = base
                    for _ in 0..<3 {
                        let repaired = repairer.repair(feasible: from.pairs, better: x.pairs, locked: lockedSlots)
                        guard CohortCheck.violations(instance, pairs: repaired.map { ($0.mentor, $0.mentee) }).isEmpty else { break }
                        let rv = value(repaired)
                        guard rv > from.value else { break }
                        from = (repaired, rv)
                    }
                    if from.value > best!.value { best = from }
                }
            }
        }
        /// Repairs a flow that breaks a rule into a cohort that keeps them all (``RuleRepair``).
        var repairs = 0
        // Small programs afford a repair of every better flow; on dense ones a repair costs
        // a pass over hundreds of thousands of pairs, and the first few find what the rest would.
        let repairBudget = (ruleRepair?.eligible.reduce(0) { $0 + $1.count } ?? 0) <= 200_000 ? 16 : 4
        func repairRules(_ pairs: [(mentor: Int, mentee: Int)]) {
            repairs += 1
            guard let r = ruleRepair?.repair(pairs, locked: lockedSlots),
                CohortCheck.violations(instance, pairs: r.map { ($0.mentor, $0.mentee) }).isEmpty
            else { return }
            let v = value(r)
            if best.map({ v > $0.value }) ?? true { best = (r, v) }
        }
        /// The best cohort with the same group counts as a cohort that keeps every rule; when it
        /// breaks the reach row, cycles from the cohort towards it that keep every rule.
        func reassign(_ pairs: [(mentor: Int, mentee: Int)]) {
            guard let x = ruleRepair?.reassignKeepingCounts(pairs, locked: lockedSlots) else { return }
            var candidate = x
            if !CohortCheck.violations(instance, pairs: x.map { ($0.mentor, $0.mentee) }).isEmpty {
                candidate = repairer.repair(feasible: pairs, better: x, locked: lockedSlots)
                guard CohortCheck.violations(instance, pairs: candidate.map { ($0.mentor, $0.mentee) }).isEmpty else { return }
            }
            let cv = value(candidate)
            if best.map({ cv > $0.value }) ?? true { best = (candidate, cv) }
        }
        repairRules(current)
        func report(_ label: String) {
            let floorBound = floored(bound)
            progress?(
                "\(label): bound \(floorBound % w) points at coverage \(floorBound / w)"
                    + (best.map { ", best cohort meeting them \($0.value % w)" } ?? ""))
        }

        /// Solves the flow with the rows priced at `lambda / priceScale` points per unit of slack
        /// (points × `priceScale`); takes its bound and, if it keeps every rule, its cohort; moves
        /// cohorts that keep every rule towards those that break them. `false` if it did not finish.
        func price(_ name: String, _ lambda: [Int64], priceScale: Int64) throws -> Bool {
            let first: [Int64] = (0..<nE).map { es in
                var g = w * weights[es] * priceScale
                for k in rows.indices where lambda[k] != 0 && !rows[k].menteeCoefficient.isEmpty {
                    g += lambda[k] * rows[k].menteeCoefficient[es]
                }
                return g
            }
            // A place's first unit must stay the dearer one (the flow's matched(e) is its first unit).
            if (0..<nE).contains(where: { !prematched[$0] && first[$0] <= 0 }) { return false }
            var gain = PairGain(pointsScale: priceScale)
            if let r = reach, lambda[r] != 0 {
                gain.atLocation = rows[r].atLocation
                gain.outside = rows[r].outside
                gain.outsideGain = lambda[r] * rows[r].outsideCoefficient
                gain.insideGain = lambda[r] * rows[r].insideCoefficient
            }
            if priceScale != lastScale {
                let converted = last.solution?.potential.map { MinCostFlow.floorDiv($0 * priceScale, lastScale) } ?? []
                last.solution?.potential = converted
            }
            let f = try run(name, { first[$0] }, gain, last)
            guard f.complete, let solution = f.solution else { return false }
            last = f
            lastScale = priceScale
            current = f.pairs + locks
            s = slacks(current)
            // The flow's value at these prices (a bound on S·(W·coverage + points) of any cohort meeting the rows).
            let v = value(current)
            var lagrangian = priceScale * v
            for k in rows.indices { lagrangian += lambda[k] * s[k] }
            if Int128(lagrangian) * Int128(bound.scale) < Int128(bound.value) * Int128(priceScale) {
                bound = (lagrangian, priceScale)
                boundFlow = (solution.potential, gain, f.pairs)
            }
            let pricedRows = rows.indices.filter { lambda[$0] != 0 }
            if pricedRows.count == 1, let k = pricedRows.first, priceScale == scale {
                evaluated.append((k, lambda[k], v, s[k]))
            }
            if s.allSatisfy({ $0 >= 0 }), CohortCheck.violations(instance, pairs: current.map { ($0.mentor, $0.mentee) }).isEmpty {
                if best.map({ v > $0.value }) ?? true { best = (current, v) }
                keeping = (current, v)
            } else {
                // The latest flows that break a rule are the nearest to the prices that balance it.
                broken.append((current, v))
                if broken.count > 3 { broken.removeFirst() }
                // Only a flow worth more than the best cohort can repair into a better one, mostly;
                // a few repairs find what the rest would (each costs a pass over the pairs).
                if best.map({ v > $0.value }) ?? true, repairs < repairBudget { repairRules(current) }
            }
            repairTowardsBrokenFlows()
            return true
        }

        for round in 1...60 {
            if shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) { break }
            // Next prices: raise a broken row's price (double, then bisect), lower a met row's.
            var changed = false
            for k in rows.indices {
                let old = lambda[k]
                if s[k] < 0 {
                    low[k] = lambda[k]
                    if let h = high[k] {
                        lambda[k] = (low[k] + h + 1) / 2
                    } else {
                        // Beyond `ceiling` the row outweighs a whole place (W): it cannot be met by pricing.
                        let ceiling = 4 * scale * w / rows[k].largestCoefficient + 1
                        // First price: a hundredth of the best pair's points per whole pair the row
                        // gains (rules are usually met by exchanging pairs a few points apart).
                        let start = max(1, scale * Int64(maxPoints) / (100 * rows[k].largestCoefficient))
                        lambda[k] = lambda[k] == 0 ? start : min(lambda[k] * 2, ceiling)
                    }
                    if let h = high[k], lambda[k] >= h { lambda[k] = h }
                } else if lambda[k] > 0 {
                    high[k] = lambda[k]
                    lambda[k] = (low[k] + lambda[k]) / 2
                    if lambda[k] <= low[k] { lambda[k] = high[k]! }
                }
                if lambda[k] != old { changed = true }
            }
            if !changed { break }
            guard try price("network: side rules priced (round \(round))", lambda, priceScale: scale) else { break }
            report("side rules round \(round)")
            let floorBound = floored(bound)
            if let b = best, b.value >= floorBound { return (b.pairs, floorBound, true, nil) }
        }
        // One row priced: the bisection leaves it between two sixteenths of a point. The
        // flows on either side are both optimal where their lines cross (if no other flow
        // is better there): one flow priced exactly there gives the exact Lagrangian bound,
        // and a flow on the same face for the repair.
        if let lo = evaluated.filter({ $0.slack < 0 }).max(by: { $0.price < $1.price }),
            let hi = evaluated.filter({ $0.slack >= 0 && $0.row == lo.row }).min(by: { $0.price < $1.price }),
            hi.price > lo.price, lo.value > hi.value, hi.slack > lo.slack,
            !shouldStop(), clock.remaining.map({ $0 > 0 }) ?? true
        {
            func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
            let d = gcd(lo.value - hi.value, hi.slack - lo.slack)
            let exactScale = (hi.slack - lo.slack) / d, exactPrice = (lo.value - hi.value) / d
            // Costs stay far from overflow in the flow (W · scale per place).
            if exactScale > 1, Int128(w) * Int128(exactScale) * 4 < Int128(1) << 43 {
                var lambda = [Int64](repeating: 0, count: rows.count)
                lambda[lo.row] = exactPrice
                if try price("network: side rules priced exactly where the last two flows cross", lambda, priceScale: exactScale) {
                    report("side rules at the crossing price")
                }
            }
        }
        // The best cohort so far, reassigned with its group counts held (it may have come from a
        // priced flow or a cycle repair, which keep counts but not the best pairs for them).
        if let b = best {
            progress?("side rules: reassigning the best cohort with its group counts held")
            reassign(b.pairs)
            progress?("side rules: reassigned (best cohort \(best.map { $0.value % w } ?? 0))")
        }
        let floorBound = floored(bound)
        if let b = best, b.value >= floorBound { return (b.pairs, floorBound, true, nil) }
        guard let b = best, let bf = boundFlow else { return (best?.pairs, floorBound, false, nil) }
        // Reduced-cost fixing: a cohort meeting the rows with value ≥ best + 1 has
        // S·value ≤ its priced value = bound − Σ |reduced cost| of the arcs it changes,
        // so it can only use pairs of the bounding flow or pairs whose reduced cost is
        // at most `room`. Those pairs are all a search for a better cohort needs.
        let room = bound.value - bound.scale * (b.value + 1)
        let pairs = pairsWithin(
            room: room, potential: bf.potential, gain: bf.gain, layer: layer, keep: bf.pairs + locks + b.pairs,
            limit: sideRulePairLimit)
        progress?("side rules: bound \(floorBound % w) points, best cohort \(b.value % w); \(pairs.count) pairs can still matter")
        return (b.pairs, floorBound, false, pairs)
    }

    /// A ``RuleRepair`` over every eligible pair (programs up to ``ruleRepairPairLimit`` pairs).
    private func ruleRepair(rows: [SideRow], w: Int64) -> RuleRepair {
        let eligible = instance.mentees.indices.map { es in
            eligiblePairs(of: es).sorted { ($0.points, $1.mentor) > ($1.points, $0.mentor) }
        }
        return RuleRepair(instance: instance, rows: rows, w: w, eligible: eligible)
    }

    /// Every eligible pair whose reduced cost under `potential` is at most `room`,
    /// plus `keep`: their number, and the pairs themselves when there are at most `limit`.
    private func pairsWithin(
        room: Int64, potential: [Int64], gain: PairGain, layer: DepartmentLayer,
        keep: [(mentor: Int, mentee: Int)], limit: Int
    ) -> (count: Int, pairs: [(mentor: Int, mentee: Int)]?) {
        let nE = instance.mentees.count, nM = instance.mentors.count
        let mentorBase = 2 + nE, layerBase = 2 + nE + nM
        // Count first: past the limit, listing them (and deduplicating) would only cost time and memory.
        let within = PairsWithinRoom(
            room: room, potential: potential, gain: gain, layer: layer, slotAt: scanner.slotAtPosition,
            mentorBase: mentorBase, layerBase: layerBase, listing: false)
        let counted = foldEligible(within).reduce(0) { $0 + $1.count }
        if counted > limit { return (counted + keep.count, nil) }
        var listing = within
        listing.listing = true
        let found = foldEligible(listing).map(\.pairs)
        var seen = Set<UInt64>()
        var out: [(mentor: Int, mentee: Int)] = []
        for p in found.joined() + keep where seen.insert(MatchInstance.pairKey(p.mentor, p.mentee)).inserted { out.append(p) }
        return (out.count, out)
    }

    /// Folds every eligible pair into one `Fold` per chunk of mentees, on every
    /// core: the cached pairs straight from their buffers when there is a cache,
    /// else by scanning.
    private func foldEligible<Fold: EligiblePairFold>(_ empty: Fold) -> [Fold] {
        if let cache = eligible {
            return parallelMap(cache.segments.count) { c in
                var fold = empty
                let seg = cache.segments[c]
                seg.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<(seg.start.count - 1) where fold.begin(mentee: seg.first + i) {
                        let es = seg.first + i
                        fold.visit(mentee: es, codes: UnsafeBufferPointer(rebasing: codes[seg.start[i]..<seg.start[i + 1]]))
                        fold.end(mentee: es)
                    }
                }
                return fold
            }
        }
        let scanner = self.scanner
        return scanner.scan { range, scratch in
            var fold = empty
            for es in range where fold.begin(mentee: es) {
                scanner.forEachEligibleInScanOrder(mentee: es, scratch: &scratch) { i, _, p in fold.visit(mentee: es, position: i, points: p) }
                fold.end(mentee: es)
            }
            return fold
        }
    }

    /// Solves one flow on the candidate set, prices every other eligible pair
    /// with the potentials, and repeats until none has a negative reduced cost.
    private func solveFlow(
        candidates initial: [[(mentor: Int32, points: Int32)]], capacity: [Int], places: [Int],
        prematched: [Bool], layer: DepartmentLayer, lockedKeys: Set<UInt64>, minPoints: Int?, warm: Flow? = nil,
        maxPoints: Int, firstGain: (Int) -> Int64, pairGain: PairGain, clock: Clock
    ) throws -> Flow {
        let started = DispatchTime.now()
        let nE = instance.mentees.count, nM = instance.mentors.count
        var cand = initial
        if let t = minPoints { cand = cand.map { $0.filter { Int($0.points) >= t } } }
        var inSet = Set<UInt64>()
        let s = 0, t = 1
        @Sendable func menteeNode(_ es: Int) -> Int { 2 + es }
        @Sendable func mentorNode(_ ms: Int) -> Int { 2 + nE + ms }
        let layerBase = 2 + nE + nM
        var net = MinCostFlow(nodeCount: layerBase + layer.nodeCount)
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
        for (node, ms, room) in layer.nodes where room > 0 && capacity[ms] > 0 {
            net.addArc(from: layerBase + node, to: mentorNode(ms), capacity: room, cost: 0)
        }
        var pairArcs: [(arc: Int, mentor: Int, mentee: Int, points: Int32)] = []
        var arcTotal = net.arcCount
        /// The arc of a pair, recorded as the network's next arc (the caller appends it).
        func pairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) -> MinCostFlow.NewArc {
            let target = layer.target(mentor: Int(c.mentor), mentee: es, mentorBase: mentorNode(0), layerBase: layerBase)
            pairArcs.append((arcTotal, Int(c.mentor), es, c.points))
            arcTotal += 1
            inSet.insert(MatchInstance.pairKey(Int(c.mentor), es))
            return MinCostFlow.NewArc(
                from: menteeNode(es), to: target, capacity: 1,
                cost: -pairGain.gain(mentor: Int(c.mentor), mentee: es, points: Int(c.points)))
        }
        func addPairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) {
            let arc = pairArc(es, c)
            net.addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost)
        }
        if let warm {
            // The same arcs in the same order as the flow being warm-started from.
            for p in warm.order { addPairArc(Int(p.mentee), (p.mentor, p.points)) }
        } else {
            for es in 0..<nE where places[es] > 0 { for c in cand[es] where capacity[Int(c.mentor)] > 0 { addPairArc(es, c) } }
        }
        /// Every eligible pair outside the set with a negative reduced cost under
        /// `potential` (at most `limit` a mentee and ``perMentorLimit`` a mentor, the
        /// most violated), on every core. Each pass's floors (``PricingMemory``) let
        /// the next skip the mentees that cannot have a violator.
        var memory: PricingMemory?
        var menteesRead = 0
        var pricingSeconds = 0.0
        func priceOut(_ potential: [Int64], limit: Int, cut: Int64 = 0) -> [Pricer.Violator] {
            let priceStart = DispatchTime.now()
            defer { pricingSeconds = Double(DispatchTime.now().uptimeNanoseconds - priceStart.uptimeNanoseconds) / 1e9 }
            var pricer = Pricer(
                potential: potential, mentorBase: mentorNode(0), layerBase: layerBase, layer: layer,
                slotAt: scanner.slotAtPosition, capacity: capacity, places: places,
                minPoints: minPoints, pairGain: pairGain, maxPoints: maxPoints, locked: lockedKeys,
                inSet: inSet, limit: limit, previous: cut < 0 ? nil : memory)
            pricer.cut = cut
            let parts = foldEligible(pricer)
            var floor = memory?.floor ?? [Int64](repeating: .min, count: nE)
            for part in parts { for (es, f) in part.floors { floor[Int(es)] = f } }
            menteesRead = parts.reduce(0) { $0 + $1.read }
            var found = Array(parts.map(\.found).joined())
            if tuning.perMentorLimit > 0 {
                found = pricer.keepPerMentor(found, limit: tuning.perMentorLimit, floor: &floor)
            }
            // Floors under a cut bound nothing the next pass can use.
            memory = cut < 0 ? nil : PricingMemory(potential: potential, floor: floor)
            return found
        }
        let stopNow = { self.shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) }
        let useScaling = tuning.costScaling
        // Pricing inside the scaling: once ε is within a few points the
        // potentials are nearly final, and the pairs they price in join the
        // next refinement instead of forcing a re-solve after the last.
        var pricedInScaling = 0
        let between: (MinCostFlow.Refinement) -> [MinCostFlow.NewArc] = { [tuning] r in
            guard r.epsilon <= pairGain.pointsScale * Int64(tuning.pricingEpsilonPoints), pricedInScaling < tuning.pricingsInScaling else {
                return []
            }
            pricedInScaling += 1
            let found = priceOut(r.potential, limit: tuning.pricingLimit)
            progress?(
                String(format: "priced in %d pairs at ε = %d (%d mentees' pairs read in %.2f s)", found.count, r.epsilon, menteesRead, pricingSeconds)
            )
            return found.map { pairArc(Int($0.mentee), ($0.mentor, $0.points)) }
        }
        // The last refinements (below a point) are left to primal–dual phases.
        let finishBelow: Int64? = tuning.finishByPhasesBelowPoints.map { pairGain.pointsScale * Int64($0) }
        // A mentee's first place is worth whole units (W · coverage weight), a pair less than one:
        // the scaling starts from the coverage optimum (``MinCostFlow/coarseStart(source:sink:)``)
        // at ε ≈ the points instead of ε ≈ W (``NetworkTuning/coarseStart``).
        let coarse = tuning.coarseStart
        func coldSolve() -> (MinCostFlow.Solution, Bool) {
            guard useScaling else {
                let r = net.solve(source: s, sink: t, stop: stopNow)
                return (r.solution, r.complete)
            }
            var start = coarse ? net.coarseStart(source: s, sink: t) : nil
            // The coverage optimum on the candidates need not be the program's: a pair that
            // gains a whole coverage weight under its potentials would later wait, frozen, for
            // the finishing phases (100k × 25k seed 2: 4,581 such pairs, 586 phases). Priced in
            // now, the coverage problem is solved again with them, at the cost of a max flow.
            var coverageRounds = 0
            // (Flows without points — the fairness search's coverage checks — are all coverage.
            // Not for network first's relaxation: which of its equally good optima the flow ends
            // at decides how the side rules' search goes, and that was measured on 20 seeds at
            // 3k × 1k without this step — with it, seed 17's reduced model no longer closed.)
            while let st = start, pairGain.pointsScale > 0, !relaxSideConstraints, coverageRounds < tuning.coveragePricingRounds, !stopNow() {
                coverageRounds += 1
                let found = priceOut(st.potential, limit: tuning.pricingLimit, cut: -pairGain.pointsScale * Int64(maxPoints))
                progress?(
                    String(
                        format: "coverage: %d pairs gain a whole place (%d mentees' pairs read in %.2f s)",
                        found.count, menteesRead, pricingSeconds))
                // A few such pairs are cheaper to leave to the finishing phases than a max flow.
                if found.count < coverageRepriceMinimum { break }
                for v in found {
                    inSet.insert(MatchInstance.pairKey(Int(v.mentor), Int(v.mentee)))
                    addPairArc(Int(v.mentee), (v.mentor, v.points))
                }
                start = net.coarseStart(source: s, sink: t)
            }
            let r = net.solveByCostScaling(
                source: s, sink: t, warm: start, finishBelow: finishBelow, farViolation: Int64(tuning.farViolation),
                trace: tuning.traceScaling, stop: stopNow, between: between)
            return (r.solution, r.complete)
        }
        var (sol, complete): (MinCostFlow.Solution, Bool)
        if let w = warm?.solution {
            // Same arcs, some gains changed: the old optimum violates only the changed
            // arcs, by little — a few primal–dual phases repair it (a warm cost scaling
            // would sweep every arc in every refinement).
            (sol, complete) = net.reoptimize(source: s, sink: t, from: w, stop: stopNow)
        } else {
            (sol, complete) = coldSolve()
        }
        progress?(
            String(
                format: "flow on %d arcs: %d phases (%.2f s)", net.arcCount, sol.phases,
                Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9))
        var rounds = 1
        while true {
            var chosen = pairArcs.filter { sol.flow[$0.arc] > 0 }.map { (mentor: $0.mentor, mentee: $0.mentee) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            if !complete {
                // Stopped mid-refinement, the pseudo-flow need not be conserved:
                // keep the pairs that fit the places and capacities (a feasible cohort).
                var load = Array(repeating: 0, count: nM), taken = Array(repeating: 0, count: nE)
                var room = Dictionary(uniqueKeysWithValues: layer.nodes.map { ($0.node, $0.room) })
                chosen = chosen.filter { p in
                    guard load[p.mentor] < capacity[p.mentor], taken[p.mentee] < places[p.mentee] else { return false }
                    let node = layer.target(mentor: p.mentor, mentee: p.mentee, mentorBase: mentorNode(0), layerBase: layerBase) - layerBase
                    if node >= 0 {
                        guard room[node, default: 0] > 0 else { return false }
                        room[node, default: 0] -= 1
                    }
                    load[p.mentor] += 1
                    taken[p.mentee] += 1
                    return true
                }
                return Flow(pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: false, seconds: seconds)
            }
            guard net.certifies(sol, source: s, sink: t) else {
                throw SolverFailure(message: "the flow's potentials do not certify its optimality")
            }
            let found = priceOut(sol.potential, limit: tuning.pricingLimit)
            for v in found {
                inSet.insert(MatchInstance.pairKey(Int(v.mentor), Int(v.mentee)))
                addPairArc(Int(v.mentee), (v.mentor, v.points))
            }
            let added = found.count
            let now = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            progress?(
                String(
                    format: "pricing round %d: %d arcs, %d phases; %d pairs priced in, %d mentees' pairs read in %.2f s (%.2f s)",
                    rounds, net.arcCount, sol.phases, added, menteesRead, pricingSeconds, now))
            if added == 0 {
                return Flow(
                    pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: true, seconds: seconds,
                    order: pairArcs.map { (Int32($0.mentee), Int32($0.mentor), $0.points) }, solution: sol)
            }
            rounds += 1
            // A few new arcs: repair the previous optimum in primal–dual phases; many:
            // warm cost scaling (or, without scaling, afresh).
            if useScaling && added > max(tuning.repairLimit, net.arcCount / max(1, tuning.repairArcsPerPair)) {
                let r = net.solveByCostScaling(
                    source: s, sink: t, warm: sol, finishBelow: finishBelow, farViolation: Int64(tuning.farViolation),
                    trace: tuning.traceScaling, stop: stopNow, between: between)
                (sol, complete) = (r.solution, r.complete)
            } else if useScaling || added <= max(200, net.arcCount / 10) {
                (sol, complete) = net.reoptimize(source: s, sink: t, from: sol, stop: stopNow)
            } else {
                (sol, complete) = coldSolve()
            }
        }
    }
}
