/// The residual graph of a ``MinCostFlow`` in CSR form over raw buffers:
/// arcs grouped by tail, each forward arc paired with its backward twin
/// (`mate`). The solvers touch every arc many times: no bounds checks, no
/// copy-on-write checks in their loops.
///
/// With ``Closure/suppliesWhenPossible`` (cost scaling), when no arc enters
/// the source or leaves the sink, every arc out of the
/// source s → v (capacity c, cost k) becomes a supply of c at v with a
/// *bypass* arc v → t (capacity c, cost −k) that carries what s → v does not:
/// flow(s → v) = c − flow(v → t), and the cost differs by the constant k · c.
/// The source then disappears and the sink only ever absorbs flow, so
/// neither high-degree node is ever discharged or relabelled; the all-bypass
/// flow (nothing sent) is a feasible start. Otherwise a free return arc
/// t → s makes the network a circulation.
final class ResidualGraph {
    /// How the source–sink network is closed.
    enum Closure {
        /// As it is (successive shortest paths from the source).
        case none
        /// A free return arc sink → source of this capacity: a circulation.
        case returnArc(capacity: Int32)
        /// Source arcs as supplies when possible, else a return arc one unit
        /// larger than the source can ever send.
        case suppliesWhenPossible
    }

    let nodeCount: Int
    let arcSlots: Int
    let first: UnsafeMutablePointer<Int>
    let to: UnsafeMutablePointer<Int32>
    let cap: UnsafeMutablePointer<Int32>
    let cost: UnsafeMutablePointer<Int64>
    let mate: UnsafeMutablePointer<Int32>
    /// Residual slot of each network arc's forward direction (of its bypass for source arcs).
    let slotOfArc: [Int32]
    /// Whether network arc i is a source arc represented by its bypass.
    let bypassed: [Bool]
    /// Whether the source arcs were turned into supplies.
    let supplyForm: Bool
    /// The return arc's forward slot, when the network is closed by one.
    let returnSlot: Int?
    /// The network arc each slot belongs to, either direction (the return arc: the arc count).
    let arcOfSlot: UnsafeMutablePointer<Int32>

    /// - Parameters:
    ///   - scale: multiply every cost (cost scaling).
    ///   - flow: an initial, conserved flow per network arc (missing arcs start at 0);
    ///     a return arc carries the net outflow of the source.
    init(_ net: MinCostFlow, source s: Int, sink t: Int, closure: Closure = .none, scale: Int64 = 1, flow: [Int32] = []) {
        let n = net.nodeCount, m = net.heads.count
        nodeCount = n
        var supply = false
        if case .suppliesWhenPossible = closure {
            supply = !(0..<m).contains { Int(net.heads[$0]) == s || Int(net.tails[$0]) == t || (Int(net.tails[$0]) == s && Int(net.heads[$0]) == t) }
        }
        supplyForm = supply
        let returnArc: Bool
        switch closure {
        case .none: returnArc = false
        case .returnArc: returnArc = true
        case .suppliesWhenPossible: returnArc = !supply
        }
        var outOfSource: Int64 = 0
        var returnCapacity: Int64 = 0
        for i in 0..<m where Int(net.tails[i]) == s {
            returnCapacity += Int64(net.capacities[i])
            if i < flow.count { outOfSource += Int64(flow[i]) }
        }
        for i in 0..<min(m, flow.count) where Int(net.heads[i]) == s { outOfSource -= Int64(flow[i]) }
        let total = m + (returnArc ? 1 : 0)
        arcSlots = 2 * total
        var degree = [Int](repeating: 0, count: n + 1)
        var tails = [Int32](repeating: 0, count: total), heads = [Int32](repeating: 0, count: total)
        var bypass = [Bool](repeating: false, count: m)
        for i in 0..<m {
            if supply && Int(net.tails[i]) == s {
                tails[i] = net.heads[i]
                heads[i] = Int32(t)
                bypass[i] = true
            } else {
                tails[i] = net.tails[i]
                heads[i] = net.heads[i]
            }
        }
        if returnArc {
            tails[m] = Int32(t)
            heads[m] = Int32(s)
        }
        for i in 0..<total {
            degree[Int(tails[i])] += 1
            degree[Int(heads[i])] += 1
        }
        first = .allocate(capacity: n + 1)
        first[0] = 0
        for v in 0..<n { first[v + 1] = first[v] + degree[v] }
        to = .allocate(capacity: arcSlots)
        cap = .allocate(capacity: arcSlots)
        cost = .allocate(capacity: arcSlots)
        mate = .allocate(capacity: arcSlots)
        arcOfSlot = .allocate(capacity: arcSlots)
        var fill = [Int](repeating: 0, count: n)
        for v in 0..<n { fill[v] = first[v] }
        var slots = [Int32](repeating: 0, count: total)
        for i in 0..<total {
            let u = Int(tails[i]), v = Int(heads[i])
            let c: Int32, f: Int32, k: Int64
            if i < m {
                let given = i < flow.count ? flow[i] : 0
                c = net.capacities[i]
                // A bypass carries what its source arc does not.
                f = bypass[i] ? c - given : given
                k = (bypass[i] ? -net.costs[i] : net.costs[i]) * scale
            } else {
                if case .returnArc(let given) = closure {
                    c = given
                } else {
                    c = Int32(clamping: max(1, min(returnCapacity + 1, Int64(Int32.max / 4))))
                }
                f = Int32(clamping: outOfSource)
                k = 0
            }
            let a = fill[u]
            fill[u] += 1
            let b = fill[v]
            fill[v] += 1
            to[a] = Int32(v)
            cap[a] = c - f
            cost[a] = k
            mate[a] = Int32(b)
            to[b] = Int32(u)
            cap[b] = f
            cost[b] = -k
            mate[b] = Int32(a)
            arcOfSlot[a] = Int32(i)
            arcOfSlot[b] = Int32(i)
            slots[i] = Int32(a)
        }
        slotOfArc = Array(slots.prefix(m))
        bypassed = bypass
        returnSlot = returnArc ? Int(slots[m]) : nil
    }

    deinit {
        first.deallocate()
        to.deallocate()
        cap.deallocate()
        cost.deallocate()
        mate.deallocate()
        arcOfSlot.deallocate()
    }

    /// The reduced cost of slot `a` under `price`: cost + price(tail) − price(head).
    @inline(__always)
    func reducedCost(_ a: Int, price: UnsafeMutablePointer<Int64>) -> Int64 {
        cost[a] + price[Int(to[Int(mate[a])])] - price[Int(to[a])]
    }

    /// Saturates every residual arc whose reduced cost under `price` is
    /// negative, moving the flow's imbalance into `excess` (both node-indexed).
    @inline(__always)
    func saturateArcsPricedOut(price: UnsafeMutablePointer<Int64>, excess: UnsafeMutablePointer<Int64>) {
        for u in 0..<nodeCount {
            let pu = price[u]
            for a in first[u]..<first[u + 1] where cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 {
                let delta = cap[a]
                cap[a] = 0
                cap[Int(mate[a])] += delta
                excess[u] -= Int64(delta)
                excess[Int(to[a])] += Int64(delta)
            }
        }
    }

    /// Sends one unit round the short cycle a new arc `a` (u → v) closes
    /// through the terminals — v → t, then back to u over its bypass (supply
    /// form) or over the return arc t → s and u's source arc — and moves the
    /// prices of u and v so that every residual arc at u and v keeps a reduced
    /// cost ≥ −ε: v no higher than the new arc t → v allows, u as high as its
    /// arcs in allow. Kept only when that holds (network arcs from index
    /// `newFrom` on, just added, are left out of the check: the caller deals
    /// with them); otherwise flow and prices are restored.
    ///
    /// A pair that lets an unmatched mentee take a free place of a mentor is
    /// worth a whole coverage weight: saturated as is, it would need a scaling
    /// restarted at ε ≈ W, or primal–dual phases routing its unit through the
    /// network. Most such pairs close exactly this cycle.
    /// - Returns: whether the unit was sent.
    func routeAroundTerminals(
        slot a: Int, source s: Int, sink t: Int, price: UnsafeMutablePointer<Int64>, eps: Int64,
        newFrom: Int
    ) -> Bool {
        @inline(__always) func isNew(_ b: Int) -> Bool { Int(arcOfSlot[b]) >= newFrom && Int(arcOfSlot[b]) < slotOfArc.count }
        let u = Int(to[Int(mate[a])]), v = Int(to[a])
        guard cap[a] > 0, u != s, u != t, v != s, v != t else { return false }
        // v → t with room.
        var toSink = -1
        for b in first[v]..<first[v + 1] where Int(to[b]) == t && cap[b] > 0 && !isNew(b) {
            toSink = b
            break
        }
        guard toSink >= 0 else { return false }
        var cycle = [a, toSink]
        if supplyForm {
            // t → u: the reverse of a bypass that carries flow, the costliest one (the first place's).
            var back = -1
            for b in first[u]..<first[u + 1] where Int(to[b]) == t && cap[Int(mate[b])] > 0 && !isNew(b) {
                if back < 0 || cost[b] > cost[Int(mate[back])] { back = Int(mate[b]) }
            }
            guard back >= 0 else { return false }
            cycle.append(back)
        } else {
            guard let r = returnSlot, cap[r] > 0 else { return false }
            // s → u with room, the cheapest one (the first place's).
            var back = -1
            for b in first[u]..<first[u + 1] where Int(to[b]) == s && cap[Int(mate[b])] > 0 && !isNew(b) {
                if back < 0 || cost[Int(mate[b])] < cost[back] { back = Int(mate[b]) }
            }
            guard back >= 0 else { return false }
            cycle += [r, back]
        }
        let oldU = price[u], oldV = price[v]
        for x in cycle {
            cap[x] -= 1
            cap[Int(mate[x])] += 1
        }
        // The new arc t → v (reverse of v → t) must not price out by more than ε.
        price[v] = min(price[v], price[t] - cost[toSink] + eps)
        // u as high as its residual arcs in allow (arcs in: the mates of u's slots).
        var high = Int64.max
        for b in first[u]..<first[u + 1] where (b == a || !isNew(b)) && cap[Int(mate[b])] > 0 {
            let m = Int(mate[b])
            high = min(high, cost[m] + price[Int(to[b])] + eps)
        }
        if high != Int64.max { price[u] = high }
        func holds(_ x: Int) -> Bool {
            let px = price[x]
            for b in first[x]..<first[x + 1] where b == a || b == Int(mate[a]) || !isNew(b) {
                let y = Int(to[b]), m = Int(mate[b])
                if cap[b] > 0 && cost[b] + px - price[y] < -eps { return false }
                if cap[m] > 0 && cost[m] + price[y] - px < -eps { return false }
            }
            return true
        }
        var ok = holds(u) && holds(v)
        if ok, let r = returnSlot, !supplyForm {
            let back = Int(mate[r])  // s → t, now residual
            ok = cost[back] + price[s] - price[t] >= -eps
        }
        if !ok {
            for x in cycle {
                cap[x] += 1
                cap[Int(mate[x])] -= 1
            }
            price[u] = oldU
            price[v] = oldV
        }
        return ok
    }

    /// ``routeAroundTerminals(slot:source:sink:price:eps:newFrom:)`` for every
    /// network arc from index `start` on that prices out by more than ε
    /// (the most violated first).
    func routeNewArcs(
        from start: Int, of net: MinCostFlow, source s: Int, sink t: Int,
        price: UnsafeMutablePointer<Int64>, eps: Int64
    ) {
        let m = net.heads.count
        guard start < m else { return }
        var violated: [(slot: Int, rc: Int64)] = []
        for i in start..<m where !bypassed[i] {
            let a = Int(slotOfArc[i])
            let rc = reducedCost(a, price: price)
            if cap[a] > 0 && rc < -eps { violated.append((a, rc)) }
        }
        violated.sort { $0.rc < $1.rc }
        for (a, _) in violated {
            // Still violated after earlier routes moved prices?
            guard reducedCost(a, price: price) < -eps else { continue }
            _ = routeAroundTerminals(slot: a, source: s, sink: t, price: price, eps: eps, newFrom: start)
        }
    }

    /// A maximum flow from `s` to `t` over the residual arcs `admissible(slot, tail)`
    /// accepts, added to the current flow (Dinic: BFS levels up to the sink's keep the
    /// admissible graph acyclic; depth-first blocking flows along them with current arcs,
    /// retreating to the first arc an augmentation fills).
    /// - Returns: the amount sent and the number of augmenting paths.
    @inline(__always)
    func maximumFlow(from s: Int, to t: Int, admissible: (_ slot: Int, _ tail: Int) -> Bool) -> (sent: Int64, augmentations: Int) {
        var level = [Int32](repeating: -1, count: nodeCount)
        var current = [Int](repeating: 0, count: nodeCount)
        var queue: [Int32] = []
        var path: [Int] = []
        var sent: Int64 = 0, augmentations = 0
        while true {
            for v in 0..<nodeCount { level[v] = -1 }
            level[s] = 0
            queue.removeAll(keepingCapacity: true)
            queue.append(Int32(s))
            var head = 0
            while head < queue.count {
                let u = Int(queue[head])
                head += 1
                if level[t] >= 0 && level[u] >= level[t] { break }
                for a in first[u]..<first[u + 1] where cap[a] > 0 {
                    let v = Int(to[a])
                    guard level[v] < 0, admissible(a, u) else { continue }
                    level[v] = level[u] + 1
                    queue.append(Int32(v))
                }
            }
            guard level[t] >= 0 else { return (sent, augmentations) }
            for v in 0..<nodeCount { current[v] = first[v] }
            path.removeAll(keepingCapacity: true)
            var u = s
            while true {
                if u == t {
                    var delta = Int32.max
                    for a in path { delta = min(delta, cap[a]) }
                    for a in path {
                        cap[a] -= delta
                        cap[Int(mate[a])] += delta
                    }
                    sent += Int64(delta)
                    augmentations += 1
                    let keep = path.firstIndex { cap[$0] == 0 } ?? path.count
                    path.removeSubrange(keep...)
                    u = path.last.map { Int(to[$0]) } ?? s
                    continue
                }
                var a = current[u]
                let end = first[u + 1]
                while a < end {
                    if cap[a] > 0 && level[Int(to[a])] == level[u] + 1 && admissible(a, u) { break }
                    a += 1
                }
                current[u] = a
                if a < end {
                    path.append(a)
                    u = Int(to[a])
                } else {
                    // Dead end: u leaves the levels; back to the tail of the arc that led here.
                    guard let last = path.popLast() else { break }
                    level[u] = -1
                    u = Int(to[Int(mate[last])])
                }
            }
        }
    }

    /// Label correction (FIFO Bellman–Ford, every node queued at the start): lowers `d[v]` to
    /// `d[u] + cost(a)` across every residual arc `a` = u → v that is shorter, and across the
    /// arcs `extra(u)` adds (ones that are not slots, such as a free return arc), until none
    /// is: then `cost(a) + d[u] − d[v] ≥ 0` on every residual arc.
    /// - Returns: false when more than `budget` labels were lowered (a negative cycle).
    func correctLabels(
        _ d: inout [Int64], budget: Int = .max, cost: (_ slot: Int) -> Int64,
        extra: (_ tail: Int) -> [(head: Int, cost: Int64)] = { _ in [] }
    ) -> Bool {
        var inQueue = [Bool](repeating: true, count: nodeCount)
        var queue = [Int32]((0..<nodeCount).map { Int32($0) })
        var head = 0, left = budget
        func lower(_ v: Int, to value: Int64) {
            guard d[v] > value else { return }
            d[v] = value
            left -= 1
            if !inQueue[v] {
                inQueue[v] = true
                queue.append(Int32(v))
            }
        }
        while head < queue.count {
            guard left > 0 else { return false }
            let u = Int(queue[head])
            head += 1
            inQueue[u] = false
            if head > 65_536 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            for a in first[u]..<first[u + 1] where cap[a] > 0 { lower(Int(to[a]), to: d[u] + cost(a)) }
            for (v, c) in extra(u) { lower(v, to: d[u] + c) }
        }
        return true
    }

    /// Flow on each network arc, and its total cost.
    func flows(of net: MinCostFlow) -> ([Int32], Int64) {
        var flow = [Int32](repeating: 0, count: net.heads.count)
        var total: Int64 = 0
        for i in 0..<net.heads.count {
            let residual = cap[Int(slotOfArc[i])]
            flow[i] = bypassed[i] ? residual : net.capacities[i] - residual
            total += Int64(flow[i]) * net.costs[i]
        }
        return (flow, total)
    }
}
