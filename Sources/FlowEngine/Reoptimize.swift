extension MinCostFlow {
    /// Re-optimises a network already solved after arcs were added (at the end
    /// of the arc list) or costs changed: keeps the previous flow and
    /// potentials, saturates every residual arc whose reduced cost is now
    /// negative, and routes the resulting excesses back to the deficits in
    /// primal–dual phases on the circulation closed by a free return arc
    /// sink → source. Each phase runs one Dijkstra from every excess at once,
    /// stopped at the nearest deficit (distance D), raises every settled node's
    /// potential by its distance and every other by D, then pushes as much as
    /// it can along arcs of zero reduced cost (depth-first, with current arcs).
    ///
    /// The violations a small change leaves are small, so the distances are
    /// too: a few phases, each exploring only the nodes nearer than the nearest
    /// deficit — where one shortest path per saturated unit, or a warm cost
    /// scaling that sweeps every arc in every refinement, costs far more.
    ///
    /// - Complexity: O(P · (A + N log N)) for P phases, P at most the number
    ///   of distinct shortest-path lengths met.
    public func reoptimize(
        source s: Int, sink t: Int, from previous: Solution,
        stop: () -> Bool = { false }
    ) -> (solution: Solution, complete: Bool) {
        let n = nodeCount, m = heads.count
        precondition(previous.potential.count == n && previous.flow.count <= m)
        let g = ResidualGraph(self, source: s, sink: t, closure: .returnArc(capacity: Int32.max / 4), flow: previous.flow)
        let first = g.first, to = g.to, cost = g.cost, mate = g.mate, cap = g.cap
        let pi = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        let excess = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        let dist = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        // Per-phase marks: a node is reached/settled/dead in phase p when its stamp is p.
        let reached = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let settledAt = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let deadAt = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let visitedAt = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let onPath = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        let currentArc = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer {
            pi.deallocate()
            excess.deallocate()
            dist.deallocate()
            reached.deallocate()
            settledAt.deallocate()
            deadAt.deallocate()
            visitedAt.deallocate()
            onPath.deallocate()
            currentArc.deallocate()
        }
        for v in 0..<n { pi[v] = previous.potential[v] }
        excess.initialize(repeating: 0, count: n)
        reached.initialize(repeating: 0, count: n)
        settledAt.initialize(repeating: 0, count: n)
        deadAt.initialize(repeating: 0, count: n)
        visitedAt.initialize(repeating: 0, count: n)
        onPath.initialize(repeating: false, count: n)
        // New arcs that close a cycle through the terminals take their unit at
        // once; saturate the other arcs that price out.
        g.routeNewArcs(from: previous.flow.count, of: self, source: s, sink: t, price: pi, eps: 0)
        g.saturateArcsPricedOut(price: pi, excess: excess)
        var sources = (0..<n).filter { excess[$0] > 0 }
        var heap = IndexedHeap(capacity: 1024)
        var settled: [Int32] = []
        var path: [Int] = []  // arcs of the current depth-first path
        var phases = 0, augmentations = 0
        var complete = true
        while !sources.isEmpty {
            if stop() {
                complete = false
                break
            }
            phases += 1
            let phase = Int32(truncatingIfNeeded: phases)
            // Dijkstra from every excess, up to the nearest deficit.
            settled.removeAll(keepingCapacity: true)
            heap.removeAll()
            for v in sources {
                dist[v] = 0
                reached[v] = phase
                heap.push(v, 0)
            }
            var nearest: Int64 = -1
            while let (u, du) = heap.pop() {
                if settledAt[u] == phase || du > dist[u] { continue }
                if excess[u] < 0 {
                    nearest = du
                    break
                }
                settledAt[u] = phase
                settled.append(Int32(u))
                let pu = pi[u]
                for a in first[u]..<first[u + 1] where cap[a] > 0 {
                    let v = Int(to[a])
                    if settledAt[v] == phase { continue }
                    let nd = du + cost[a] + pu - pi[v]
                    if reached[v] != phase || nd < dist[v] {
                        reached[v] = phase
                        dist[v] = nd
                        heap.push(v, nd)
                    }
                }
            }
            guard nearest >= 0 else {
                complete = false
                break
            }  // no deficit reachable: cannot happen on a circulation
            // Potentials: +min(d, D) for every node; as only differences matter,
            // settled nodes (d < D) move by d − D and the others stay.
            for v in settled { pi[Int(v)] += dist[Int(v)] - nearest }
            // Push along arcs of zero reduced cost, depth first from each excess.
            for x in sources where excess[x] > 0 && deadAt[x] != phase {
                if visitedAt[x] != phase {
                    visitedAt[x] = phase
                    currentArc[x] = first[x]
                }
                var u = x
                onPath[x] = true
                path.removeAll(keepingCapacity: true)
                while excess[x] > 0 {
                    if excess[u] < 0 {
                        // Augment along the path, then retreat to the tail of its first saturated arc.
                        var delta = min(excess[x], -excess[u])
                        for a in path { delta = min(delta, Int64(cap[a])) }
                        let d32 = Int32(delta)
                        for a in path {
                            cap[a] -= d32
                            cap[Int(mate[a])] += d32
                        }
                        excess[x] -= delta
                        excess[u] += delta
                        augmentations += 1
                        var keep = path.count
                        for (i, a) in path.enumerated() where cap[a] == 0 {
                            keep = i
                            break
                        }
                        for a in path[keep...] { onPath[Int(to[a])] = false }
                        path.removeSubrange(keep...)
                        u = path.last.map { Int(to[$0]) } ?? x
                        continue
                    }
                    var a = currentArc[u]
                    let end = first[u + 1], pu = pi[u]
                    while a < end {
                        let v = Int(to[a])
                        // The reduced cost first: few arcs pass it, so few need the node's marks.
                        if cap[a] > 0 && cost[a] + pu - pi[v] == 0 && !onPath[v] && deadAt[v] != phase { break }
                        a += 1
                    }
                    currentArc[u] = a
                    if a < end {
                        let v = Int(to[a])
                        path.append(a)
                        onPath[v] = true
                        if visitedAt[v] != phase {
                            visitedAt[v] = phase
                            currentArc[v] = first[v]
                        }
                        u = v
                    } else {
                        // Dead end: no zero-cost way on from u in this phase.
                        deadAt[u] = phase
                        onPath[u] = false
                        guard path.popLast() != nil else { break }
                        u = path.last.map { Int(to[$0]) } ?? x
                    }
                }
                for a in path { onPath[Int(to[a])] = false }
                onPath[x] = false
            }
            sources.removeAll { excess[$0] <= 0 }
        }
        let (flow, totalCost) = g.flows(of: self)
        let potential = Array(UnsafeBufferPointer(start: pi, count: n))
        return (Solution(flow: flow, potential: potential, totalCost: totalCost, phases: phases, augmentations: augmentations), complete)
    }
}
