import Foundation

extension MinCostFlow {
    /// Solves the same problem as ``solve(source:sink:stop:)`` by cost scaling
    /// (Goldberg & Tarjan 1990; Goldberg 1997, "An efficient implementation of
    /// a scaling minimum-cost flow algorithm"): push–relabel refinements of an
    /// ε-optimal circulation, ε divided by `alpha` each round, costs scaled by
    /// N + 1 so that ε = 1 means optimal. The prices are then turned into exact
    /// integer potentials by label correction, so the result carries the same
    /// certificate as the primal–dual solve.
    ///
    /// - Complexity: O(N² A log(N C)) in theory; near-linear per refinement in practice.
    /// - Parameters:
    ///   - warm: a previous optimum of this network before arcs were
    ///     appended; its flow and potentials seed the prices, and ε starts at the
    ///     largest violation instead of the largest cost.
    ///   - finishBelow: once ε is at most this many cost units, stop scaling and
    ///     finish with primal–dual phases (``reoptimize(source:sink:from:stop:)``)
    ///     from the flow and its prices rounded down: the last refinements (ε
    ///     from one cost unit down to 1/(N + 1)) each sweep every arc, while a
    ///     flow that is already within a unit of optimal needs only a few phases
    ///     (30k × 7.5k: 18 phases instead of 8 refinements). `nil`: scale to the end.
    ///   - farViolation: with `finishBelow`, an arc added between refinements that is violated
    ///     by more than this many ε (and by a sixteenth of the largest cost) waits for the
    ///     finishing phases instead of raising ε.
    ///   - trace: one line per refinement on standard error (time, pushes, relabels).
    ///   - between: called after every refinement but the last with the
    ///     current approximate potentials; the arcs it returns are appended to
    ///     the network (after the existing ones, flow 0) and the next
    ///     refinement takes them in — column generation inside the scaling,
    ///     so that pricing sees nearly final prices without a re-solve.
    public mutating func solveByCostScaling(
        source s: Int, sink t: Int, alpha: Int64 = 4, warm: Solution? = nil,
        finishBelow: Int64? = nil, farViolation: Int64 = 64, trace: Bool = false,
        stop: () -> Bool = { false },
        between: ((Refinement) -> [NewArc])? = nil
    ) -> (solution: Solution, complete: Bool) {
        let n = nodeCount
        // Costs are multiplied by N + 1 below; when that could overflow, the
        // primal–dual solve (no scaling) answers instead.
        let largest = costs.lazy.map { $0.magnitude }.max() ?? 0
        if largest > UInt64(Int64.max / 8) / UInt64(n + 1) {
            return solve(source: s, sink: t, stop: stop)
        }
        let scale = Int64(n + 1)
        let useWarm = warm.map { $0.potential.count == n && $0.flow.count <= heads.count } ?? false
        var g = ResidualGraph(self, source: s, sink: t, closure: .suppliesWhenPossible, scale: scale, flow: useWarm ? warm!.flow : [])
        var first = g.first, to = g.to, cap = g.cap, cost = g.cost, mate = g.mate
        var maxCost: Int64 = 1
        for a in 0..<g.arcSlots { maxCost = max(maxCost, abs(cost[a])) }
        // The largest magnitude an added arc's scaled cost may have (checked below).
        let costCeiling = Int64.max / 8 / scale
        // A new arc violated by more than this many ε, and by a sixteenth of the largest cost
        // (a coverage weight, not points), waits for the finishing phases instead of raising ε.
        let price = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        let excess = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        let currentArc = UnsafeMutablePointer<Int>.allocate(capacity: n)
        let inQueue = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        defer {
            price.deallocate()
            excess.deallocate()
            currentArc.deallocate()
            inQueue.deallocate()
        }
        price.initialize(repeating: 0, count: n)
        excess.initialize(repeating: 0, count: n)
        inQueue.initialize(repeating: false, count: n)
        var eps = maxCost
        if useWarm, let warm {
            // The previous flow (conserved, so no excess) and prices; ε just
            // covers the worst violation.
            for v in 0..<n { price[v] = warm.potential[v] * scale }
            if g.supplyForm { price[s] = price[t] }
            g.routeNewArcs(from: warm.flow.count, of: self, source: s, sink: t, price: price, eps: 0)
            var worst: Int64 = 1
            for u in 0..<n {
                let pu = price[u]
                for a in first[u]..<first[u + 1] where cap[a] > 0 {
                    worst = max(worst, -(cost[a] + pu - price[Int(to[a])]))
                }
            }
            eps = worst * alpha  // the first refinement divides by alpha
        }
        var queue = [Int32]()
        var complete = true
        var finishByPhases = false
        // `trace`: one line per refinement on standard error (time, pushes, relabels).
        var traceClock = DispatchTime.now().uptimeNanoseconds
        var pushes = 0, relabels = 0
        // Network arcs added between refinements that wait for the finishing phases
        // (only when phases finish the flow), and the flow without them.
        var frozen: [Int] = []
        let canDefer = (finishBelow ?? 0) > 0
        func flowsWithoutFrozen() -> (flow: [Int32], totalCost: Int64) {
            var (flow, totalCost) = g.flows(of: self)
            for i in frozen {
                totalCost -= Int64(flow[i]) * costs[i]
                flow[i] = 0
            }
            return (flow, totalCost)
        }
        refinement: while eps > 1 {
            if let f = finishBelow, eps <= f * scale {
                finishByPhases = true
                break refinement
            }
            eps = max(1, eps / alpha)
            if trace { traceClock = DispatchTime.now().uptimeNanoseconds }
            // Saturate every arc with negative reduced cost: an ε-optimal pseudo-flow.
            g.saturateArcsPricedOut(price: price, excess: excess)
            queue.removeAll(keepingCapacity: true)
            for v in 0..<n {
                currentArc[v] = first[v]
                inQueue[v] = excess[v] > 0
                if excess[v] > 0 { queue.append(Int32(v)) }
            }
            var head = 0
            var work = 0
            while head < queue.count {
                let u = Int(queue[head])
                head += 1
                inQueue[u] = false
                if head > 65_536 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                work += 1
                if work & 4095 == 0 && stop() {
                    complete = false
                    break refinement
                }
                // Discharge u.
                let end = first[u + 1]
                while excess[u] > 0 {
                    var a = currentArc[u]
                    let pu = price[u]
                    while a < end {
                        if cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 { break }
                        a += 1
                    }
                    if a < end {
                        currentArc[u] = a
                        let v = Int(to[a])
                        pushes += 1
                        let delta = Int32(min(Int64(cap[a]), excess[u]))
                        cap[a] -= delta
                        cap[Int(mate[a])] += delta
                        excess[u] -= Int64(delta)
                        excess[v] += Int64(delta)
                        if excess[v] > 0 && !inQueue[v] {
                            inQueue[v] = true
                            queue.append(Int32(v))
                        }
                    } else {
                        // Relabel: the cheapest way out becomes admissible by ε.
                        var best = Int64.min
                        for b in first[u]..<end where cap[b] > 0 {
                            best = max(best, price[Int(to[b])] - cost[b])
                        }
                        if best == Int64.min { break }  // no residual arc out (cannot happen: the flow is feasible)
                        price[u] = best - eps
                        relabels += 1
                        currentArc[u] = first[u]
                    }
                }
            }
            if trace {
                let now = DispatchTime.now().uptimeNanoseconds
                FileHandle.standardError.write(
                    String(
                        format: "refinement to ε = %lld: %.3f s, %d pushes, %d relabels\n",
                        eps, Double(now - traceClock) / 1e9, pushes, relabels
                    ).data(using: .utf8)!)
                pushes = 0
                relabels = 0
            }
            // Column generation between refinements: the pseudo-flow is now a
            // flow again (no excess left), so arcs can join at flow 0.
            if let between, eps > 1 {
                var approx = [Int64](repeating: 0, count: n)
                for v in 0..<n { approx[v] = Self.floorDiv(price[v], scale) }
                if g.supplyForm { approx[s] = approx[t] }
                let added = between(Refinement(potential: approx, epsilon: (eps + scale - 1) / scale))
                if !added.isEmpty {
                    let (flow, _) = flowsWithoutFrozen()
                    let oldCount = heads.count
                    for arc in added { addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost) }
                    // Scaled costs must not overflow: such arcs go to the primal–dual solve.
                    if added.contains(where: { $0.cost.magnitude > costCeiling.magnitude }) {
                        return solve(source: s, sink: t, stop: stop)
                    }
                    g = ResidualGraph(self, source: s, sink: t, closure: .suppliesWhenPossible, scale: scale, flow: flow)
                    (first, to, cap, cost, mate) = (g.first, g.to, g.cap, g.cost, g.mate)
                    for i in frozen { cap[Int(g.slotOfArc[i])] = 0 }
                    // Arcs that close a cycle through the terminals take their unit
                    // at once; the flow is ε-optimal again only for ε covering the
                    // other new arcs' violations: the next refinement starts from there.
                    g.routeNewArcs(from: oldCount, of: self, source: s, sink: t, price: price, eps: eps)
                    // A new arc violated by far more than ε (a pair worth a coverage
                    // weight into a full mentor's place) would raise ε to its violation
                    // and restart a dozen refinements of the whole network: when
                    // primal–dual phases finish the flow, it waits for them, frozen at
                    // flow 0 with no residual arc (their exact shortest paths route a
                    // few such units in a phase or two).
                    var raised = eps
                    for i in oldCount..<heads.count {
                        let a = Int(g.slotOfArc[i])
                        guard cap[a] > 0 else { continue }
                        let violation = -g.reducedCost(a, price: price)
                        if canDefer && violation > farViolation * eps && violation > maxCost / 16 {
                            cap[a] = 0
                            frozen.append(i)
                        } else {
                            raised = max(raised, violation)
                        }
                    }
                    if trace && !frozen.isEmpty {
                        FileHandle.standardError.write("  \(frozen.count) arcs frozen until the phases\n".data(using: .utf8)!)
                    }
                    eps = raised
                }
            }
        }
        // Exact integer potentials on the original costs: start from the scaled
        // prices and correct labels until every residual arc is non-negative.
        var pi = [Int64](repeating: 0, count: n)
        for v in 0..<n {
            let q = price[v]
            pi[v] = Self.floorDiv(q, scale)
        }
        if finishByPhases {
            if g.supplyForm { pi[s] = pi[t] }
            let (flow, totalCost) = flowsWithoutFrozen()
            let near = Solution(flow: flow, potential: pi, totalCost: totalCost, phases: 0, augmentations: 0)
            var finished = reoptimize(source: s, sink: t, from: near, stop: stop)
            finished.solution.deferredArcs = frozen.count
            return finished
        }
        if complete {
            // rc = c + π[u] − π[v] ≥ 0 ⇔ π[v] ≤ π[u] + c: lower π[v] where it fails.
            _ = g.correctLabels(&pi) { a in cost[a] / scale }
            // The source is outside the supply form: priced like the sink, every
            // source arc's reduced cost mirrors its bypass's.
            if g.supplyForm { pi[s] = pi[t] }
        }
        // Frozen arcs remain only when stopped early (the phases would have taken them).
        let (flow, totalCost) = flowsWithoutFrozen()
        return (Solution(flow: flow, potential: pi, totalCost: totalCost, phases: 0, augmentations: 0), complete)
    }

    /// ⌊q / d⌋ for d > 0.
    public static func floorDiv(_ q: Int64, _ d: Int64) -> Int64 { q >= 0 ? q / d : -((-q + d - 1) / d) }

    /// The state handed to the `between` hook of ``solveByCostScaling(source:sink:alpha:warm:stop:between:)``.
    public struct Refinement {
        /// Potentials rounded down to cost units; reduced costs under them are
        /// within `epsilon` of those of an optimal flow's on the current arcs.
        public let potential: [Int64]
        /// The ε just reached, in cost units (rounded up).
        public let epsilon: Int64
    }

    /// An arc to append between refinements.
    public struct NewArc {
        public var from: Int, to: Int, capacity: Int, cost: Int64
        public init(from: Int, to: Int, capacity: Int, cost: Int64) {
            self.from = from
            self.to = to
            self.capacity = capacity
            self.cost = cost
        }
    }
}
