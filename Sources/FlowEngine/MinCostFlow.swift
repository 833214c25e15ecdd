/// Minimum-cost flow of free amount on a directed network with integer
/// capacities and costs: flow is sent from `source` to `sink` while the
/// cheapest residual path is negative, i.e. the result is a minimum-cost
/// flow over every flow value.
///
/// The algorithm is primal–dual (successive shortest paths, Edmonds & Karp
/// 1972; Ahuja, Magnanti & Orlin, *Network Flows*, §9.7): each phase runs
/// Dijkstra on reduced costs, raises the node potentials by the distances,
/// then sends a blocking flow along the arcs whose reduced cost is zero. At
/// the end every residual arc has a non-negative reduced cost under the
/// returned potentials — an exact integer certificate of optimality that
/// callers check and extend to arcs they left out (pricing).
///
/// - Complexity: O(phases · A log N) with A arcs and N nodes; the number of
///   phases is the number of distinct shortest-path lengths met.
public struct MinCostFlow: Sendable {
    public struct ArcID: Hashable, Sendable { public let index: Int }

    public private(set) var nodeCount: Int
    var tails: [Int32] = []
    var heads: [Int32] = []
    var capacities: [Int32] = []
    var costs: [Int64] = []

    public init(nodeCount: Int) {
        precondition(nodeCount >= 0 && nodeCount < Int(Int32.max))
        self.nodeCount = nodeCount
    }

    public var arcCount: Int { heads.count }

    @discardableResult
    public mutating func addArc(from u: Int, to v: Int, capacity: Int, cost: Int64) -> ArcID {
        precondition(u >= 0 && u < nodeCount && v >= 0 && v < nodeCount, "arc endpoint out of range")
        precondition(capacity >= 0 && capacity < Int(Int32.max), "capacity out of range")
        tails.append(Int32(u))
        heads.append(Int32(v))
        capacities.append(Int32(capacity))
        costs.append(cost)
        return ArcID(index: heads.count - 1)
    }

    /// Changes an arc's cost (then ``reoptimize(source:sink:from:stop:)`` repairs a previous optimum).
    public mutating func setCost(_ arc: ArcID, _ cost: Int64) { costs[arc.index] = cost }

    public struct Solution: Sendable {
        /// Flow on each arc, indexed by ``ArcID/index``.
        public var flow: [Int32]
        /// Node potentials π: every residual arc (u, v) has cost + π[u] − π[v] ≥ 0.
        public var potential: [Int64]
        public var totalCost: Int64
        public var phases: Int
        public var augmentations: Int
        /// Arcs handed in between cost-scaling refinements that waited for the finishing phases.
        public var deferredArcs = 0
    }

    /// Solves from scratch. `stop` is polled between phases; when it returns
    /// true the flow so far (feasible, not yet optimal) is returned with `complete == false`.
    public func solve(source s: Int, sink t: Int, stop: () -> Bool = { false }) -> (solution: Solution, complete: Bool) {
        let n = nodeCount
        let g = ResidualGraph(self, source: s, sink: t)
        let first = g.first, to = g.to, cost = g.cost
        let inf = Int64.max / 4
        var pi = Self.initialPotentials(g, source: s, nodes: n, infinity: inf)

        var dist = [Int64](repeating: inf, count: n)
        var done = [Bool](repeating: false, count: n)
        var heap = IndexedHeap(capacity: n)
        var phases = 0, augmentations = 0
        var complete = true
        var touched: [Int32] = []

        while true {
            if stop() {
                complete = false
                break
            }
            // Dijkstra on reduced costs.
            for v in touched {
                dist[Int(v)] = inf
                done[Int(v)] = false
            }
            touched.removeAll(keepingCapacity: true)
            dist[s] = 0
            touched.append(Int32(s))
            heap.push(s, 0)
            var dt = inf
            while let (u, du) = heap.pop() {
                if done[u] { continue }
                done[u] = true
                if u == t {
                    dt = du
                    break
                }
                let pu = pi[u]
                for a in first[u]..<first[u + 1] where g.cap[a] > 0 {
                    let v = Int(to[a])
                    if done[v] { continue }
                    let nd = du + cost[a] + pu - pi[v]
                    if nd < dist[v] {
                        if dist[v] == inf { touched.append(Int32(v)) }
                        dist[v] = nd
                        heap.push(v, nd)
                    }
                }
            }
            heap.removeAll()
            if dt == inf {
                // The sink is out of reach: lift every unreached node so that the
                // way back from sink to source also has a non-negative reduced cost.
                let lift = max(0, pi[s] - pi[t])
                for v in 0..<n where dist[v] == inf { pi[v] += lift }
                break
            }
            // The real length of the shortest path; stop when it is no longer negative.
            let realLength = dt + pi[t] - pi[s]
            // Raise potentials by min(dist, δ): reduced costs stay non-negative for any
            // δ ≤ dt. Mid-run δ = dt puts shortest paths at reduced cost zero; at the
            // end δ makes π[t] = π[s], so neither more nor less flow can pay.
            let delta = realLength >= 0 ? max(0, min(dt, pi[s] - pi[t])) : dt
            for v in touched {
                let d = dist[Int(v)]
                pi[Int(v)] += d < delta ? d : delta
            }
            for v in 0..<n where dist[v] == inf { pi[v] += delta }
            if realLength >= 0 { break }
            phases += 1
            // Maximum flow on the zero-reduced-cost residual arcs.
            augmentations += g.maximumFlow(from: s, to: t) { a, u in cost[a] + pi[u] - pi[Int(to[a])] == 0 }.augmentations
        }
        let (flow, total) = g.flows(of: self)
        return (Solution(flow: flow, potential: pi, totalCost: total, phases: phases, augmentations: augmentations), complete)
    }

    /// Initial potentials: shortest distances from the source by label correction (costs may be
    /// negative; the network has no negative cycle with positive capacity for our callers: it is a
    /// DAG). Nodes out of reach get the largest finite distance.
    static func initialPotentials(_ g: ResidualGraph, source s: Int, nodes n: Int, infinity inf: Int64) -> [Int64] {
        let first = g.first, to = g.to, cost = g.cost
        var pi = [Int64](repeating: 0, count: n)
        var dist = [Int64](repeating: inf, count: n)
        var inQueue = [Bool](repeating: false, count: n)
        var queue: [Int32] = [Int32(s)]
        var head = 0
        dist[s] = 0
        inQueue[s] = true
        while head < queue.count {
            let u = Int(queue[head])
            head += 1
            inQueue[u] = false
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            let du = dist[u]
            for a in first[u]..<first[u + 1] where g.cap[a] > 0 {
                let v = Int(to[a])
                let nd = du + cost[a]
                if nd < dist[v] {
                    dist[v] = nd
                    if !inQueue[v] {
                        inQueue[v] = true
                        queue.append(Int32(v))
                    }
                }
            }
        }
        var maxFinite: Int64 = 0
        for v in 0..<n where dist[v] < inf { maxFinite = max(maxFinite, dist[v]) }
        for v in 0..<n { pi[v] = dist[v] < inf ? dist[v] : maxFinite }
        return pi
    }

    /// Whether `potential` certifies `flow` optimal: flow within capacity,
    /// conserved at every node but `source` and `sink`, and every residual arc
    /// with non-negative reduced cost (including the path back from sink to source).
    public func certifies(_ sol: Solution, source s: Int, sink t: Int) -> Bool {
        var balance = [Int64](repeating: 0, count: nodeCount)
        for i in 0..<heads.count {
            let f = sol.flow[i]
            guard f >= 0 && f <= capacities[i] else { return false }
            let u = Int(tails[i]), v = Int(heads[i])
            balance[u] -= Int64(f)
            balance[v] += Int64(f)
            let rc = costs[i] + sol.potential[u] - sol.potential[v]
            if f < capacities[i] && rc < 0 { return false }
            if f > 0 && rc > 0 { return false }
        }
        for v in 0..<nodeCount where v != s && v != t && balance[v] != 0 { return false }
        // Free flow amount: more flow must not pay (π[t] ≥ π[s]), and when there
        // is flow, less must not pay either (π[t] ≤ π[s]).
        let gap = sol.potential[t] - sol.potential[s]
        return balance[t] > 0 ? gap == 0 : gap >= 0
    }
}

/// A binary min-heap of (node, key) with lazy deletion.
struct IndexedHeap {
    private var nodes: [Int32] = []
    private var keys: [Int64] = []

    init(capacity: Int) {
        nodes.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
    }

    mutating func push(_ node: Int, _ key: Int64) {
        nodes.append(Int32(node))
        keys.append(key)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) >> 1
            if keys[p] <= keys[i] { break }
            keys.swapAt(p, i)
            nodes.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (Int, Int64)? {
        guard !keys.isEmpty else { return nil }
        let top = (Int(nodes[0]), keys[0])
        let lastKey = keys.removeLast()
        let lastNode = nodes.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            nodes[0] = lastNode
            var i = 0
            let n = keys.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let c = (r < n && keys[r] < keys[l]) ? r : l
                if keys[i] <= keys[c] { break }
                keys.swapAt(i, c)
                nodes.swapAt(i, c)
                i = c
            }
        }
        return top
    }
}
