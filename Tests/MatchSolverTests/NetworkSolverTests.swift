import Foundation
import MatchModel
import TestSupport
import Testing

@testable import MatchSolver

/// The network engine must agree with brute force (and so with the GLPK
/// model) on every program without equity rules: same coverage, same total
/// points, same minimum points under the fairness objective.
@Suite struct NetworkSolverTests {
    func check(seed: UInt64, mentorsPerMentee: Int, candidates: Int, weightScale: Double = 1, departmentCap: Int? = nil) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 104_729 &+ UInt64(mentorsPerMentee)))
        var (program, decisions) = gen.make(mentorsPerMentee: mentorsPerMentee)
        program.policy.equity = Equity()
        program.policy.equity.maxSameDepartmentPerMentor = departmentCap
        // Weights need not sum to 1 (SPEC 1.3): points then exceed 1000.
        program.policy.weights.skills *= weightScale
        program.policy.weights.level *= weightScale
        program.policy.weights.timezone *= weightScale
        program.policy.weights.preference *= weightScale
        program.policy.weights.style *= weightScale
        program.policy.weights.crossDepartment *= weightScale
        let instance = MatchInstance(program: program, decisions: decisions)
        let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
        var solver = NetworkSolver(instance: instance)
        solver.tuning.candidatesPerMentee = candidates
        solver.tuning.mentorCandidates = Int(seed % 3)
        solver.tuning.pricingLimit = 1 + Int(seed % 4)  // small limits: pricing keeps only the most violated pairs per round
        solver.tuning.perMentorLimit = Int(seed / 3 % 3)  // and per mentor (0: no cap)
        if seed % 5 == 4 { solver.cachePositionLimit = 0 }  // no pair cache: pricing scans again
        // Pairs that gain a whole place are priced in before the scaling even when there is one.
        if seed % 2 == 0 { solver.coverageRepriceMinimum = 1 }
        let outcome = try solver.solve()
        let context = "seed \(seed), k=\(mentorsPerMentee), K=\(candidates), objective \(program.policy.objective)"
        outcome.expectMatches(oracle, instance, context)
        if oracle != nil { #expect(outcome.eligiblePairs == CandidatePairs(instance).count) }
        if seed % 5 == 4, !solver.scanner.slotAtPosition.isEmpty {
            #expect(solver.eligible == nil, "\(context): the pair cache was kept past its position limit")
        }
    }

    /// One candidate per mentee forces pricing to do the work.
    @Test(arguments: 0..<250)
    func oneMentorPerMenteeWithPricing(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 1, candidates: 1) }

    @Test(arguments: 0..<150)
    func twoMentorsPerMentee(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 2, candidates: 2) }

    /// `max_same_department_per_mentor` is part of the network (a node per mentor and department).
    @Test(arguments: 0..<200)
    func departmentCapInTheNetwork(seed: UInt64) throws {
        try check(seed: seed, mentorsPerMentee: 1 + Int(seed % 2), candidates: 1 + Int(seed % 3), departmentCap: 1 + Int(seed % 2))
    }

    /// Weights summing far above 1 (points up to 6,000,000 at the largest allowed weights).
    @Test(arguments: 0..<100)
    func weightsAboveOne(seed: UInt64) throws {
        try check(seed: seed, mentorsPerMentee: 1 + Int(seed % 2), candidates: 1, weightScale: [3, 70, 1000][Int(seed % 3)])
    }

    @Test(arguments: 0..<100)
    func generousCandidates(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 1 + Int(seed % 2), candidates: 24) }

    @Test func mentorIndexFindsExactlyTheEligibleMentors() {
        for seed in 0..<200 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed))
            let (program, decisions) = gen.make(mentorsPerMentee: 1)
            let instance = MatchInstance(program: program, decisions: decisions)
            let index = PairScanner(instance)
            for es in instance.mentees.indices {
                let direct = instance.mentors.indices.filter { instance.isEligible(mentor: $0, mentee: es) }
                #expect(index.eligibleMentors(of: es).sorted() == direct, "seed \(seed)")
            }
        }
    }
}

@Suite struct NetworkInterruptTests {
    /// Stopped at any point (Ctrl-C, time limit), the answer is a feasible
    /// cohort reported as `time_limit`, never a broken one.
    @Test(arguments: 0..<60)
    func aStopAtAnyPointLeavesAFeasibleCohort(seed: UInt64) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 7_777 &+ 1))
        var (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 2))
        program.policy.equity = Equity()
        program.policy.equity.maxSameDepartmentPerMentor = seed % 2 == 0 ? 1 : nil
        let instance = MatchInstance(program: program, decisions: decisions)
        let calls = Counter()
        var solver = NetworkSolver(instance: instance)
        solver.tuning.candidatesPerMentee = 1
        let stopAfter = Int(seed % 5)
        solver.shouldStop = { calls.next() > stopAfter }
        let outcome = try solver.solve()
        #expect([.optimal, .timeLimit, .infeasible].contains(outcome.status))
        #expect(CohortCheck.violations(instance, pairs: outcome.pairs.map { ($0.mentor, $0.mentee) }).isEmpty)
        // A stop states what is still proven, and it holds for the optimum.
        guard outcome.status == .timeLimit, let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve() else { return }
        let proof = try #require(outcome.proof, "seed \(seed)")
        let note = proof.sentence(for: outcome.objective)
        #expect(proof.cohortFound && proof.ending == .stopped)
        let coverage = try #require(proof.coverageBound, "seed \(seed): \(note)")
        #expect(coverage >= oracle.coverage && coverage >= outcome.objective.coverage, "seed \(seed): \(note)")
        if coverage == outcome.objective.coverage {
            let points = try #require(proof.pointsBound, "seed \(seed): \(note)")
            #expect(outcome.objective.coverage == oracle.coverage, "seed \(seed): \(note)")
            #expect(points >= oracle.total && note.contains("total points ≤ \(points)"), "seed \(seed): \(note)")
        } else {
            #expect(note.contains("coverage ≤ \(coverage)"), "seed \(seed): \(note)")
        }
    }
}

final class Counter: @unchecked Sendable {
    private var n = 0
    func next() -> Int {
        n += 1
        return n
    }
}

/// Programs with access/reach rules: the network optimum without them is the
/// program's optimum exactly when it meets them (the relaxation argument).
@Suite struct RelaxationFirstTests {
    @Test func aRelaxedOptimumThatMeetsEveryRuleIsTheOptimum() throws {
        var usable = 0, broken = 0
        for seed in 0..<400 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed &* 7_919 &+ 3))
            let (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 2))
            guard !NetworkSolver.supports(program.policy) else { continue }
            let instance = MatchInstance(program: program, decisions: decisions)
            var solver = NetworkSolver(instance: instance)
            solver.relaxSideConstraints = true
            solver.tuning.candidatesPerMentee = 1
            let relaxed = try solver.solve()
            let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
            guard relaxed.status == .optimal, let unmet = relaxed.sideRules?.unmet else {
                #expect(relaxed.status == .infeasible, "seed \(seed)")
                #expect(oracle == nil, "seed \(seed): infeasible without the side rules, so infeasible with them")
                continue
            }
            if unmet.isEmpty {
                usable += 1
                let oracle = try #require(oracle, "seed \(seed)")
                #expect(relaxed.objective.coverage == oracle.coverage, "seed \(seed)")
                #expect(relaxed.objective.totalPoints == oracle.total, "seed \(seed)")
                if program.policy.objective == .coverageThenFairness {
                    #expect(relaxed.objective.minPoints == oracle.minimum, "seed \(seed)")
                }
            } else {
                broken += 1
                // It breaks a rule, so the program's optimum is no better than the relaxation's.
                if let oracle {
                    #expect(oracle.coverage <= relaxed.objective.coverage, "seed \(seed)")
                }
            }
        }
        #expect(usable > 20)
        #expect(broken > 20)
    }
}

/// Pricing reads a mentee's cached pairs in one tight loop; walks without the cache
/// visit them one at a time. Both must find the same violators and the same floors —
/// with department nodes (a split mentor's pairs enter its node for the mentee's
/// department), a fairness threshold, location gains and mentors without room.
@Suite struct PricingLoopTests {
    @Test(arguments: 0..<300)
    func aMenteesPairsAtOncePriceAsOneAtATime(seed: UInt64) {
        var rng = SplitMix(state: seed &* 6_151 &+ 7)
        var gen = RandomProgram(rng: SplitMix(state: seed &+ 99))
        var (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 2))
        program.policy.equity = Equity()
        program.policy.equity.maxSameDepartmentPerMentor = seed % 3 == 0 ? nil : 1
        let instance = MatchInstance(program: program, decisions: decisions)
        let scanner = PairScanner(instance)
        let layer = DepartmentLayer(instance: instance, scanner: scanner, locks: [])
        let nE = instance.mentees.count, nM = instance.mentors.count
        let nodes = MatchNetworkLayout(mentees: nE, mentors: nM)
        let layerBase = nodes.layerBase
        let potential = (0..<(layerBase + layer.nodeCount)).map { _ in Int64(rng.below(4_001)) - 1_000 }
        let capacity = instance.capacity.map { rng.below(4) == 0 ? 0 : $0 }
        var gain = PairGain(pointsScale: Int64(1 + rng.below(3)))
        if seed % 2 == 1 {
            gain.atLocation = (0..<nM).map { _ in rng.below(2) == 0 }
            gain.outside = (0..<nE).map { _ in rng.below(2) == 0 }
            gain.outsideGain = Int64(rng.below(300))
            gain.insideGain = -Int64(rng.below(300))
        }
        let minPoints: Int? = seed % 5 == 0 ? rng.below(800) : nil
        let pricer = Pricer(
            potential: potential, nodes: nodes, layer: layer,
            slotAt: scanner.slotAtPosition, capacity: capacity, places: Array(repeating: 1, count: nE),
            minPoints: minPoints, pairGain: gain, maxPoints: 1000, locked: [], inSet: [], limit: 1_000)
        var atOnce = pricer, oneByOne = pricer
        var scratch = scanner.makeScratch()
        for es in 0..<nE {
            var positions: [Int32] = [], points: [Int32] = []
            scanner.forEachEligibleInScanOrder(mentee: es, scratch: &scratch) { i, _, p in
                positions.append(Int32(i))
                points.append(Int32(p))
            }
            // Coded as the cache codes them (escapes included).
            var codes = [UInt16](repeating: 0, count: 3 * positions.count + 1)
            let words = codes.withUnsafeMutableBufferPointer { out in
                EligibleCache.encode(positions: positions, points: points, count: positions.count, into: out.baseAddress!)
            }
            if atOnce.begin(mentee: es) {
                codes.withUnsafeBufferPointer { atOnce.visit(mentee: es, codes: UnsafeBufferPointer(rebasing: $0[0..<words])) }
                atOnce.end(mentee: es)
            }
            if oneByOne.begin(mentee: es) {
                for k in positions.indices { oneByOne.visit(mentee: es, position: Int(positions[k]), points: Int(points[k])) }
                oneByOne.end(mentee: es)
            }
        }
        func key(_ v: Pricer.Violator) -> [Int64] { [v.rc, Int64(v.mentor), Int64(v.mentee), Int64(v.points)] }
        #expect(atOnce.found.map(key) == oneByOne.found.map(key), "seed \(seed)")
        #expect(atOnce.floors.map { [Int64($0.mentee), $0.floor] } == oneByOne.floors.map { [Int64($0.mentee), $0.floor] }, "seed \(seed)")
        #expect(atOnce.read == oneByOne.read)
    }

    /// The selection that keeps a mentee's most violated pairs puts at index k what a full
    /// sort by (reduced cost, mentor) would, nothing greater before it, nothing smaller after.
    /// The cache's 2-byte codes give back every pair in order: steps of 0…62 in one word,
    /// anything else (a first pair far in, a gap, a step back where a time-zone window wraps,
    /// points above 1,023) through an escape.
    @Test(arguments: 0..<200)
    func cacheCodesRoundTrip(seed: UInt64) {
        var rng = SplitMix(state: seed &* 2_654_435_761 &+ 5)
        let n = rng.below(300)
        var positions: [Int32] = [], points: [Int32] = []
        var position = rng.below(100)
        for _ in 0..<n {
            switch rng.below(10) {
            case 0: position = rng.below(65_536)  // anywhere, backwards too
            case 1: position = min(65_535, position + 63 + rng.below(500))
            default: position = min(65_535, position + rng.below(63))
            }
            positions.append(Int32(position))
            points.append(Int32(rng.below(4) == 0 ? rng.below(65_536) : rng.below(1_024)))
        }
        var codes = [UInt16](repeating: 0, count: 3 * n + 1)
        let words = codes.withUnsafeMutableBufferPointer { out in
            EligibleCache.encode(positions: positions, points: points, count: n, into: out.baseAddress!)
        }
        var decoded: [(Int, Int)] = []
        codes.withUnsafeBufferPointer { EligibleCache.decode(UnsafeBufferPointer(rebasing: $0[0..<words])) { decoded.append(($0, $1)) } }
        #expect(decoded.map(\.0) == positions.map(Int.init))
        #expect(decoded.map(\.1) == points.map(Int.init))
        #expect(words >= n && words <= 3 * n)
    }

    @Test(arguments: 0..<200)
    func selectionAgreesWithASort(seed: UInt64) {
        var rng = SplitMix(state: seed &* 31 &+ 5)
        let n = 1 + rng.below(seed % 4 == 0 ? 3_000 : 60)
        // Few distinct reduced costs (ties), mentors distinct as within one mentee.
        let spread = 1 + rng.below(seed % 2 == 0 ? 4 : 10_000)
        var mentors = Array(0..<Int32(n))
        mentors.shuffle(using: &rng)
        var a = (0..<n).map { i in Pricer.Violator(rc: -Int64(rng.below(spread)), mentor: mentors[i], mentee: 0, points: 0) }
        let sorted = a.sorted { ($0.rc, $0.mentor) < ($1.rc, $1.mentor) }
        let k = rng.below(n)
        Pricer.selectLeast(&a, k)
        #expect(a[k].rc == sorted[k].rc && a[k].mentor == sorted[k].mentor, "seed \(seed)")
        let before = a[..<k].map { [$0.rc, Int64($0.mentor)] }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(before == sorted[..<k].map { [$0.rc, Int64($0.mentor)] }, "seed \(seed)")
    }
}
