import Testing

@testable import FlowEngine

@Suite struct MinCostFlowTests {
    /// Brute force: enumerate all 0/1 flows of a bipartite b-matching network and keep the cheapest.
    @Test(arguments: 0..<300)
    func agreesWithBruteForceOnRandomBipartiteNetworks(seed: UInt64) {
        var rng = Rng(state: seed &+ 17)
        let left = 1 + rng.below(5), right = 1 + rng.below(4)
        var net = MinCostFlow(nodeCount: left + right + 2)
        let s = left + right, t = s + 1
        var leftCap: [Int] = [], rightCap: [Int] = [], bonus: [Int64] = []
        for i in 0..<left {
            leftCap.append(1 + rng.below(2))
            bonus.append(Int64(rng.below(3)) * 100)
            net.addArc(from: s, to: i, capacity: 1, cost: -bonus[i])
            if leftCap[i] > 1 { net.addArc(from: s, to: i, capacity: leftCap[i] - 1, cost: 0) }
        }
        for j in 0..<right {
            rightCap.append(rng.below(3))
            net.addArc(from: left + j, to: t, capacity: rightCap[j], cost: 0)
        }
        var edges: [(Int, Int, Int64)] = []
        for i in 0..<left {
            for j in 0..<right where rng.below(3) != 0 {
                let c = Int64(rng.below(60)) - 10
                edges.append((i, j, c))
                net.addArc(from: i, to: left + j, capacity: 1, cost: -c)
            }
        }
        let (sol, complete) = net.solve(source: s, sink: t)
        #expect(complete)
        #expect(net.certifies(sol, source: s, sink: t))
        // Brute force over edge subsets.
        var best: Int64 = 0
        for mask in 0..<(1 << edges.count) {
            var lu = [Int](repeating: 0, count: left), ru = [Int](repeating: 0, count: right)
            var profit: Int64 = 0
            var ok = true
            for (k, e) in edges.enumerated() where mask & (1 << k) != 0 {
                lu[e.0] += 1
                ru[e.1] += 1
                profit += e.2
                if lu[e.0] > leftCap[e.0] || ru[e.1] > rightCap[e.1] {
                    ok = false
                    break
                }
            }
            if !ok { continue }
            for i in 0..<left where lu[i] > 0 { profit += bonus[i] }
            best = max(best, profit)
        }
        #expect(-sol.totalCost == best, "seed \(seed)")
    }

    @Test func aNetworkWithNoArcsIsOptimalAtZero() {
        let net = MinCostFlow(nodeCount: 2)
        let (sol, _) = net.solve(source: 0, sink: 1)
        #expect(sol.totalCost == 0)
        #expect(net.certifies(sol, source: 0, sink: 1))
    }
}

/// A bipartite b-matching network: source → left (first place worth `bonus`,
/// further places free) → right → sink; pair arcs are added by the caller.
func bipartiteBase(_ rng: inout Rng, left: Int, right: Int, bonus: Int64, maxRightCap: Int) -> MinCostFlow {
    let s = left + right, t = s + 1
    var net = MinCostFlow(nodeCount: left + right + 2)
    for i in 0..<left {
        let places = 1 + rng.below(2)
        net.addArc(from: s, to: i, capacity: 1, cost: -Int64(1 + rng.below(2)) * bonus)
        if places > 1 { net.addArc(from: s, to: i, capacity: places - 1, cost: 0) }
    }
    for j in 0..<right { net.addArc(from: left + j, to: t, capacity: rng.below(maxRightCap + 1), cost: 0) }
    return net
}

/// Each left–right pair with probability 2/3, with points below `points`.
func randomPairs(_ rng: inout Rng, left: Int, right: Int, points: Int) -> [(Int, Int, Int64)] {
    var pairs: [(Int, Int, Int64)] = []
    for i in 0..<left { for j in 0..<right where rng.below(3) != 0 { pairs.append((i, j, Int64(rng.below(points)))) } }
    return pairs
}

/// A warm solve of `net` ends complete, at a cold solve's cost, with a certificate.
func expectEqualsColdSolve(
    _ net: MinCostFlow, _ warm: (solution: MinCostFlow.Solution, complete: Bool),
    source s: Int, sink t: Int, seed: UInt64
) {
    let (cold, _) = net.solve(source: s, sink: t)
    #expect(warm.complete)
    #expect(warm.solution.totalCost == cold.totalCost, "seed \(seed)")
    #expect(net.certifies(warm.solution, source: s, sink: t), "seed \(seed)")
}

struct Rng {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct ReoptimizeTests {
    /// Solving on a subset of arcs, adding the rest, and re-optimising must
    /// equal a cold solve of the whole network.
    @Test(arguments: 0..<300)
    func warmStartAfterAddingArcsEqualsAColdSolve(seed: UInt64) {
        var rng = Rng(state: seed &* 31 &+ 5)
        let left = 1 + rng.below(7), right = 1 + rng.below(5)
        let s = left + right, t = s + 1
        let base = bipartiteBase(&rng, left: left, right: right, bonus: 100, maxRightCap: 2)
        let pairs = randomPairs(&rng, left: left, right: right, points: 60)
        let split = rng.below(pairs.count + 1)
        var partial = base
        for p in pairs[..<split] { partial.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2) }
        let (first, _) = partial.solve(source: s, sink: t)
        var whole = partial
        for p in pairs[split...] { whole.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2) }
        expectEqualsColdSolve(whole, whole.reoptimize(source: s, sink: t, from: first), source: s, sink: t, seed: seed)
    }
}

extension ReoptimizeTests {
    /// The same arcs with some costs changed (as a Lagrangian price moves):
    /// re-optimising from the old optimum must equal a cold solve.
    @Test(arguments: 0..<300)
    func warmStartAfterChangingCostsEqualsAColdSolve(seed: UInt64) {
        var rng = Rng(state: seed &* 7919 &+ 11)
        let left = 1 + rng.below(9), right = 1 + rng.below(6)
        let s = left + right, t = s + 1
        let base = bipartiteBase(&rng, left: left, right: right, bonus: 200, maxRightCap: 3)
        let pairs = randomPairs(&rng, left: left, right: right, points: 60)
        let shift = Int64(1 + rng.below(seed % 2 == 0 ? 4 : 80))
        var before = base, after = base
        for p in pairs {
            before.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2)
            // Pairs into "priced" right nodes gain or lose a little (a price on a side row).
            let delta: Int64 = p.1 % 2 == 0 ? (p.0 % 2 == 0 ? shift : -shift) : 0
            after.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2 - delta)
        }
        let (old, _) = before.solve(source: s, sink: t)
        expectEqualsColdSolve(after, after.reoptimize(source: s, sink: t, from: old), source: s, sink: t, seed: seed)
    }
}

@Suite struct CostScalingTests {
    @Test(arguments: 0..<400)
    func costScalingEqualsPrimalDualAndCertifies(seed: UInt64) {
        var rng = Rng(state: seed &* 977 &+ 3)
        let left = 1 + rng.below(12), right = 1 + rng.below(8)
        let s = left + right, t = s + 1
        var net = bipartiteBase(&rng, left: left, right: right, bonus: 100_000, maxRightCap: 3)
        for i in 0..<left {
            for j in 0..<right where rng.below(2) != 0 {
                net.addArc(from: i, to: left + j, capacity: 1, cost: -Int64(rng.below(1001)))
            }
        }
        // An arc out of the sink keeps the source arcs from becoming supplies:
        // then the network is solved as a circulation.
        if seed % 3 == 0 { net.addArc(from: t, to: left + rng.below(right), capacity: 1 + rng.below(2), cost: Int64(rng.below(500))) }
        // Half the cases stop scaling at some ε and finish with primal–dual phases.
        let finish: Int64? = seed % 2 == 0 ? nil : [1, 2, 7, 60, 5_000][Int(seed / 2) % 5]
        expectEqualsColdSolve(net, net.solveByCostScaling(source: s, sink: t, finishBelow: finish), source: s, sink: t, seed: seed)
    }
}

@Suite struct WarmCostScalingTests {
    @Test(arguments: 0..<300)
    func warmCostScalingAfterAddingArcsEqualsAColdSolve(seed: UInt64) {
        var rng = Rng(state: seed &* 613 &+ 11)
        let left = 1 + rng.below(9), right = 1 + rng.below(6)
        let s = left + right, t = s + 1
        var net = bipartiteBase(&rng, left: left, right: right, bonus: 50_000, maxRightCap: 2)
        let pairs = randomPairs(&rng, left: left, right: right, points: 1001)
        let split = rng.below(pairs.count + 1)
        for p in pairs[..<split] { net.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2) }
        let (first, _) = net.solveByCostScaling(source: s, sink: t)
        for p in pairs[split...] { net.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2) }
        let finish: Int64? = seed % 2 == 0 ? nil : 3
        expectEqualsColdSolve(net, net.solveByCostScaling(source: s, sink: t, warm: first, finishBelow: finish), source: s, sink: t, seed: seed)
    }
}

@Suite struct PricingBetweenRefinementsTests {
    /// Arcs handed in between refinements — some violating the prices by far
    /// more than the current ε — still end in the optimum of the whole network.
    @Test(arguments: 0..<300)
    func arcsAddedBetweenRefinementsReachTheOptimumOfTheWholeNetwork(seed: UInt64) {
        var rng = Rng(state: seed &* 7919 &+ 5)
        let left = 1 + rng.below(10), right = 1 + rng.below(7)
        let s = left + right, t = s + 1
        var net = bipartiteBase(&rng, left: left, right: right, bonus: 60_000, maxRightCap: 3)
        var pending: [MinCostFlow.NewArc] = []
        for i in 0..<left {
            for j in 0..<right where rng.below(3) != 0 {
                let arc = MinCostFlow.NewArc(from: i, to: left + j, capacity: 1, cost: -Int64(rng.below(1001)))
                if rng.below(3) == 0 { net.addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost) } else { pending.append(arc) }
            }
        }
        var calls = 0
        let (first, complete) = net.solveByCostScaling(
            source: s, sink: t, finishBelow: seed % 2 == 1 ? 2 : nil,
            between: { r in
                calls += 1
                #expect(r.potential.count == s + 2 && r.epsilon >= 1)
                let take = min(pending.count, rng.below(pending.count + 1))
                defer { pending.removeFirst(take) }
                return Array(pending.prefix(take))
            })
        #expect(complete)
        var sol = first
        if !pending.isEmpty {
            for arc in pending { net.addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost) }
            sol = net.solveByCostScaling(source: s, sink: t, warm: first).solution
        }
        #expect(sol.flow.count == net.arcCount)
        #expect(net.certifies(sol, source: s, sink: t), "seed \(seed)")
        #expect(sol.totalCost == net.solve(source: s, sink: t).solution.totalCost, "seed \(seed)")
    }
}

extension PricingBetweenRefinementsTests {
    /// A pair handed in late that would take a place from a covered left node
    /// for an uncovered one (violated by a whole coverage weight, far beyond
    /// ε) is not allowed to restart the scaling: it waits, at flow 0, for the
    /// finishing phases — and the answer is still the optimum.
    @Test func aPairWorthACoverageWeightWaitsForThePhases() {
        // Left 0, 1 (one place each, worth 1000); right 2 (one place); source 3, sink 4.
        var net = MinCostFlow(nodeCount: 5)
        net.addArc(from: 3, to: 0, capacity: 1, cost: -1000)
        net.addArc(from: 3, to: 1, capacity: 1, cost: -1000)
        net.addArc(from: 2, to: 4, capacity: 1, cost: 0)
        net.addArc(from: 0, to: 2, capacity: 1, cost: -5)
        var handed = false
        let (sol, complete) = net.solveByCostScaling(
            source: 3, sink: 4, finishBelow: 1,
            between: { r in
                guard !handed, r.epsilon <= 4 else { return [] }
                handed = true
                return [MinCostFlow.NewArc(from: 1, to: 2, capacity: 1, cost: -7)]
            })
        #expect(handed && complete)
        #expect(sol.deferredArcs == 1)
        expectEqualsColdSolve(net, (sol, complete), source: 3, sink: 4, seed: 0)
        #expect(sol.totalCost == -1007)
    }
}

@Suite struct RouteAroundTerminalsTests {
    /// Left 0, 1 (one place each, worth 1000); right 2, 3 (one place each); source 4, sink 5.
    func twoByTwo(pairs: [(Int, Int, Int64)]) -> MinCostFlow {
        var net = MinCostFlow(nodeCount: 6)
        net.addArc(from: 4, to: 0, capacity: 1, cost: -1000)
        net.addArc(from: 4, to: 1, capacity: 1, cost: -1000)
        net.addArc(from: 2, to: 5, capacity: 1, cost: 0)
        net.addArc(from: 3, to: 5, capacity: 1, cost: 0)
        for (l, r, c) in pairs { net.addArc(from: l, to: r, capacity: 1, cost: c) }
        return net
    }

    /// A new pair that lets an unmatched left node take a free right place is
    /// sent round left → right → sink → left at once: re-optimising needs no
    /// primal–dual phase, and the answer is still a cold solve's.
    @Test func aPairThatGainsCoverageNeedsNoPhase() {
        var net = twoByTwo(pairs: [(0, 2, -7)])
        let (first, _) = net.solve(source: 4, sink: 5)
        #expect(first.totalCost == -1007)
        net.addArc(from: 1, to: 3, capacity: 1, cost: -5)
        let again = net.reoptimize(source: 4, sink: 5, from: first)
        #expect(again.solution.phases == 0)
        #expect(again.solution.totalCost == -2012)
        #expect(net.certifies(again.solution, source: 4, sink: 5))
    }

    /// When the new pair's right node is full, nothing is routed locally: the
    /// phases move the other left node (1 → 3 frees 2 for 0's better pair).
    @Test func aPairIntoAFullPlaceStillReachesTheOptimum() {
        var net = twoByTwo(pairs: [(1, 2, -9), (1, 3, -1)])
        let (first, _) = net.solve(source: 4, sink: 5)
        net.addArc(from: 0, to: 2, capacity: 1, cost: -20)
        let again = net.reoptimize(source: 4, sink: 5, from: first)
        #expect(again.solution.phases > 0)
        expectEqualsColdSolve(net, again, source: 4, sink: 5, seed: 0)
        #expect(again.solution.totalCost == -2021)
    }
}

@Suite struct CoarseStartTests {
    /// Networks shaped like a program (first places worth one or two whole units, pairs
    /// worth less than a unit): the coarse start is optimal for the truncated costs (its own
    /// certificate on a copy with those costs), and a scaling warm-started from it reaches
    /// a cold solve's optimum.
    @Test(arguments: 0..<300)
    func aScalingFromTheCoverageOptimumReachesTheOptimum(seed: UInt64) {
        var rng = Rng(state: seed &* 7_777 &+ 19)
        let left = 1 + rng.below(10), right = 1 + rng.below(7)
        let s = left + right, t = s + 1
        let unit: Int64 = 20_000 + Int64(rng.below(3))
        var net = bipartiteBase(&rng, left: left, right: right, bonus: unit, maxRightCap: 3)
        for p in randomPairs(&rng, left: left, right: right, points: 1001) { net.addArc(from: p.0, to: left + p.1, capacity: 1, cost: -p.2) }
        guard let start = net.coarseStart(source: s, sink: t) else {
            // Only a network without a source arc worth a unit has no coarse start.
            #expect(net.costs.allSatisfy { $0 / unit == 0 }, "seed \(seed)")
            return
        }
        var truncated = MinCostFlow(nodeCount: net.nodeCount)
        for i in 0..<net.arcCount {
            truncated.addArc(from: Int(net.tails[i]), to: Int(net.heads[i]), capacity: Int(net.capacities[i]), cost: net.costs[i] / unit)
        }
        let coarse = MinCostFlow.Solution(flow: start.flow, potential: start.potential.map { $0 / unit }, totalCost: 0, phases: 0, augmentations: 0)
        #expect(truncated.certifies(coarse, source: s, sink: t), "seed \(seed)")
        let finish: Int64? = seed % 2 == 0 ? nil : 3
        expectEqualsColdSolve(net, net.solveByCostScaling(source: s, sink: t, warm: start, finishBelow: finish), source: s, sink: t, seed: seed)
    }

    /// A second unit on a pair arc (or an arc into the source) is not the shape: no start.
    @Test func aPairWorthAWholeUnitHasNoCoarseStart() {
        var net = MinCostFlow(nodeCount: 4)
        net.addArc(from: 2, to: 0, capacity: 1, cost: -100)
        net.addArc(from: 0, to: 1, capacity: 1, cost: -150)
        net.addArc(from: 1, to: 3, capacity: 1, cost: 0)
        #expect(net.coarseStart(source: 2, sink: 3) == nil)
        var fine = MinCostFlow(nodeCount: 4)
        fine.addArc(from: 2, to: 0, capacity: 1, cost: -100)
        fine.addArc(from: 0, to: 1, capacity: 1, cost: -99)
        fine.addArc(from: 1, to: 3, capacity: 1, cost: 0)
        let start = fine.coarseStart(source: 2, sink: 3)
        #expect(start?.flow == [1, 1, 1])
    }

    /// High priority first: with one place, the mentee worth two units takes it even when
    /// the other mentee's pair is worth more points.
    @Test func theDearestClassIsFilledFirst() {
        var net = MinCostFlow(nodeCount: 5)  // mentees 0, 1; mentor 2; source 3; sink 4
        net.addArc(from: 3, to: 0, capacity: 1, cost: -100)
        net.addArc(from: 3, to: 1, capacity: 1, cost: -200)
        net.addArc(from: 0, to: 2, capacity: 1, cost: -90)
        net.addArc(from: 1, to: 2, capacity: 1, cost: -1)
        net.addArc(from: 2, to: 4, capacity: 1, cost: 0)
        let start = net.coarseStart(source: 3, sink: 4)
        #expect(start?.flow == [0, 1, 0, 1, 1])
    }
}
