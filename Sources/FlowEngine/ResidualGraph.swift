/// The residual graph of a ``MinCostFlow`` in CSR form: arcs grouped by
/// tail, each forward arc paired with its backward twin (`mate`).
struct ResidualGraph {
    var first: [Int]
    var to: [Int32]
    var cap: [Int32]
    var cost: [Int64]
    var mate: [Int32]
    /// Residual slot of each network arc's forward direction (the return arc last, when present).
    var slotOfArc: [Int32]

    /// - Parameters:
    ///   - returnArc: add a free arc sink → source with this capacity (a circulation).
    ///   - scale: multiply every cost (cost scaling).
    ///   - flow: an initial flow per network arc (missing arcs start at 0); the return arc carries the net outflow of the source.
    init(_ net: MinCostFlow, source s: Int, sink t: Int, returnArc: Int32? = nil, scale: Int64 = 1, flow: [Int32] = []) {
        let n = net.nodeCount, m = net.heads.count
        let total = m + (returnArc == nil ? 0 : 1)
        func tail(_ i: Int) -> Int { i < m ? Int(net.tails[i]) : t }
        func head(_ i: Int) -> Int { i < m ? Int(net.heads[i]) : s }
        var degree = [Int32](repeating: 0, count: n + 1)
        for i in 0..<total { degree[tail(i)] += 1; degree[head(i)] += 1 }
        first = [Int](repeating: 0, count: n + 1)
        for v in 0..<n { first[v + 1] = first[v] + Int(degree[v]) }
        var fill = first
        to = [Int32](repeating: 0, count: 2 * total)
        cap = [Int32](repeating: 0, count: 2 * total)
        cost = [Int64](repeating: 0, count: 2 * total)
        mate = [Int32](repeating: 0, count: 2 * total)
        slotOfArc = [Int32](repeating: 0, count: total)
        var outOfSource: Int64 = 0
        for i in 0..<min(m, flow.count) {
            if Int(net.tails[i]) == s { outOfSource += Int64(flow[i]) }
            if Int(net.heads[i]) == s { outOfSource -= Int64(flow[i]) }
        }
        for i in 0..<total {
            let u = tail(i), v = head(i)
            let c: Int32 = i < m ? net.capacities[i] : returnArc!
            let f: Int32 = i < m ? (i < flow.count ? flow[i] : 0) : Int32(clamping: outOfSource)
            let k: Int64 = (i < m ? net.costs[i] : 0) * scale
            let a = fill[u]; fill[u] += 1
            let b = fill[v]; fill[v] += 1
            to[a] = Int32(v); cap[a] = c - f; cost[a] = k; mate[a] = Int32(b)
            to[b] = Int32(u); cap[b] = f; cost[b] = -k; mate[b] = Int32(a)
            slotOfArc[i] = Int32(a)
        }
    }

    /// Flow on each network arc, and its total cost.
    func flows(of net: MinCostFlow) -> ([Int32], Int64) {
        var flow = [Int32](repeating: 0, count: net.heads.count)
        var total: Int64 = 0
        for i in 0..<net.heads.count {
            flow[i] = net.capacities[i] - cap[Int(slotOfArc[i])]
            total += Int64(flow[i]) * net.costs[i]
        }
        return (flow, total)
    }
}
