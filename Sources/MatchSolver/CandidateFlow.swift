import FlowEngine
import Foundation
import MatchModel

/// One flow of the network engine on a growing candidate set: the network (source → mentee →
/// [department node →] mentor → sink), the pair arcs in it, and the pricing of every other
/// eligible pair against the flow's potentials. A pair with a negative reduced cost joins the
/// set and the flow is solved again; when none prices out the potentials certify the flow over
/// every eligible pair. A class: the cost scaling calls back into it between refinements to
/// price pairs in, and those pairs join the same network.
final class CandidateFlow {
    private let solver: NetworkSolver
    private let setting: NetworkSolver.FlowSetting
    private let minPoints: Int?
    private let pairGain: PairGain
    private let tuning: NetworkTuning
    private let nodes: MatchNetworkLayout
    private let started = DispatchTime.now()
    private var net: MinCostFlow
    /// The pair arcs in network order.
    private var pairArcs: [(arc: Int, mentor: Int, mentee: Int, points: Int32)] = []
    private var inSet = Set<UInt64>()
    private var arcTotal: Int
    /// What the last pricing pass proved about the pairs it left out (``PricingMemory``).
    private var memory: PricingMemory?
    private var menteesRead = 0
    private var pricingSeconds = 0.0
    private var pricedInScaling = 0

    private var start: NetworkSolver.LockedStart { setting.start }
    private var source: Int { nodes.source }
    private var sink: Int { nodes.sink }

    /// The network without pair arcs. Every mentee with a free place gets its source arcs,
    /// candidates or not, so its potential is tied down and pricing covers all of its pairs.
    init(solver: NetworkSolver, setting: NetworkSolver.FlowSetting, minPoints: Int?, firstGain: (Int) -> Int64, pairGain: PairGain) {
        self.solver = solver
        self.setting = setting
        self.minPoints = minPoints
        self.pairGain = pairGain
        tuning = solver.tuning
        let start = setting.start, layer = setting.start.layer
        let nodes = MatchNetworkLayout(mentees: solver.instance.mentees.count, mentors: solver.instance.mentors.count)
        self.nodes = nodes
        var net = MinCostFlow(nodeCount: nodes.nodeCount(layerNodes: layer.nodeCount))
        for es in start.places.indices where start.places[es] > 0 {
            if start.prematched[es] {
                net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: start.places[es], cost: 0)
            } else {
                net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: 1, cost: -firstGain(es))
                if start.places[es] > 1 { net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: start.places[es] - 1, cost: 0) }
            }
        }
        for ms in start.capacity.indices where start.capacity[ms] > 0 {
            // The mentors_used stage (SPEC 9.3): a mentor's first place is worth its gain, as a mentee's first place is.
            if let gain = solver.mentorFirstGain?[ms], gain > 0 {
                net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: 1, cost: -gain)
                if start.capacity[ms] > 1 { net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: start.capacity[ms] - 1, cost: 0) }
            } else {
                net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: start.capacity[ms], cost: 0)
            }
        }
        for (node, ms, room) in layer.nodes where room > 0 && start.capacity[ms] > 0 {
            net.addArc(from: nodes.layerBase + node, to: nodes.mentor(ms), capacity: room, cost: 0)
        }
        self.net = net
        arcTotal = net.arcCount
    }

    /// The arc of a pair, recorded as the network's next arc (the caller appends it).
    private func pairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) -> MinCostFlow.NewArc {
        let target = start.layer.target(mentor: Int(c.mentor), mentee: es, mentorBase: nodes.mentor(0), layerBase: nodes.layerBase)
        pairArcs.append((arcTotal, Int(c.mentor), es, c.points))
        arcTotal += 1
        inSet.insert(MatchInstance.pairKey(Int(c.mentor), es))
        return MinCostFlow.NewArc(
            from: nodes.mentee(es), to: target, capacity: 1,
            cost: -pairGain.gain(mentor: Int(c.mentor), mentee: es, points: Int(c.points)))
    }

    private func addPairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) {
        let arc = pairArc(es, c)
        net.addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost)
    }

    /// The candidates at or above the threshold — or, warm, the same arcs in the same order as
    /// the flow being warm-started from.
    private func addCandidates(warm: NetworkSolver.Flow?) {
        if let warm {
            for p in warm.order { addPairArc(Int(p.mentee), (p.mentor, p.points)) }
            return
        }
        for es in start.places.indices where start.places[es] > 0 {
            for c in setting.candidates[es] where start.capacity[Int(c.mentor)] > 0 {
                if let t = minPoints, Int(c.points) < t { continue }
                addPairArc(es, c)
            }
        }
    }

    /// Every eligible pair outside the set with a negative reduced cost under `potential` (at most
    /// `limit` a mentee and ``NetworkTuning/perMentorLimit`` a mentor, the most violated), on every
    /// core. Each pass's floors (``PricingMemory``) let the next skip the mentees that cannot have a violator.
    private func priceOut(_ potential: [Int64], limit: Int, cut: Int64 = 0) -> [Pricer.Violator] {
        let priceStart = DispatchTime.now()
        defer { pricingSeconds = Double(DispatchTime.now().uptimeNanoseconds - priceStart.uptimeNanoseconds) / 1e9 }
        var pricer = Pricer(
            potential: potential, nodes: nodes, layer: start.layer,
            slotAt: solver.scanner.slotAtPosition, capacity: start.capacity, places: start.places,
            minPoints: minPoints, pairGain: pairGain, maxPoints: setting.maxPoints, locked: start.lockedKeys,
            inSet: inSet, limit: limit, previous: cut < 0 ? nil : memory)
        pricer.cut = cut
        let parts = solver.foldEligible(pricer)
        var floor = memory?.floor ?? [Int64](repeating: .min, count: start.places.count)
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

    private func addPriced(_ found: [Pricer.Violator]) {
        for v in found {
            inSet.insert(MatchInstance.pairKey(Int(v.mentor), Int(v.mentee)))
            addPairArc(Int(v.mentee), (v.mentor, v.points))
        }
    }

    private func stopNow() -> Bool {
        solver.shouldStop() || (setting.clock.remaining.map { $0 <= 0 } ?? false)
    }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

    /// Pricing inside the scaling: once ε is within a few points the potentials are nearly final,
    /// and the pairs they price in join the next refinement instead of forcing a re-solve after the last.
    private func priceBetween(_ r: MinCostFlow.Refinement) -> [MinCostFlow.NewArc] {
        guard r.epsilon <= pairGain.pointsScale * Int64(tuning.pricingEpsilonPoints), pricedInScaling < tuning.pricingsInScaling else {
            return []
        }
        pricedInScaling += 1
        let found = priceOut(r.potential, limit: tuning.pricingLimit)
        solver.progress?(
            String(format: "priced in %d pairs at ε = %d (%d mentees' pairs read in %.2f s)", found.count, r.epsilon, menteesRead, pricingSeconds))
        return found.map { pairArc(Int($0.mentee), ($0.mentor, $0.points)) }
    }

    /// Cost scaling from `warm`; the last refinements (below a point) are left to primal–dual phases.
    private func scale(from warm: MinCostFlow.Solution?) -> (MinCostFlow.Solution, Bool) {
        let finishBelow: Int64? = tuning.finishByPhasesBelowPoints.map { pairGain.pointsScale * Int64($0) }
        let r = net.solveByCostScaling(
            source: source, sink: sink, warm: warm, finishBelow: finishBelow, farViolation: Int64(tuning.farViolation),
            trace: tuning.traceScaling, stop: { [unowned self] in stopNow() }, between: { [unowned self] in priceBetween($0) })
        return (r.solution, r.complete)
    }

    /// A solve from nothing. A mentee's first place is worth whole units (W · coverage weight), a
    /// pair less than one: the scaling starts from the coverage optimum (``MinCostFlow/coarseStart(source:sink:)``)
    /// at ε ≈ the points instead of ε ≈ W (``NetworkTuning/coarseStart``).
    private func coldSolve() -> (MinCostFlow.Solution, Bool) {
        guard tuning.costScaling else {
            let r = net.solve(source: source, sink: sink, stop: { [unowned self] in stopNow() })
            return (r.solution, r.complete)
        }
        var coarse = tuning.coarseStart ? net.coarseStart(source: source, sink: sink) : nil
        // The coverage optimum on the candidates need not be the program's: a pair that gains a
        // whole coverage weight under its potentials would later wait, frozen, for the finishing
        // phases. Priced in now, the coverage problem is solved again with them, at the cost of a
        // max flow. (Flows without points — the fairness search's coverage checks — are all
        // coverage. Not for network first's relaxation: which of its equally good optima the flow
        // ends at decides how the side rules' search goes.)
        var coverageRounds = 0
        while let st = coarse, pairGain.pointsScale > 0, !solver.relaxSideConstraints, coverageRounds < tuning.coveragePricingRounds, !stopNow() {
            coverageRounds += 1
            let found = priceOut(st.potential, limit: tuning.pricingLimit, cut: -pairGain.pointsScale * Int64(setting.maxPoints))
            solver.progress?(
                String(format: "coverage: %d pairs gain a whole place (%d mentees' pairs read in %.2f s)", found.count, menteesRead, pricingSeconds))
            // A few such pairs are cheaper to leave to the finishing phases than a max flow.
            if found.count < solver.coverageRepriceMinimum { break }
            addPriced(found)
            coarse = net.coarseStart(source: source, sink: sink)
        }
        return scale(from: coarse)
    }

    /// Stopped mid-refinement, the pseudo-flow need not be conserved: the chosen pairs that fit
    /// the places, capacities and department rooms (a feasible cohort).
    private func feasiblePart(_ chosen: [(mentor: Int, mentee: Int)]) -> [(mentor: Int, mentee: Int)] {
        let layer = start.layer
        var load = Array(repeating: 0, count: start.capacity.count), taken = Array(repeating: 0, count: start.places.count)
        var room = Dictionary(uniqueKeysWithValues: layer.nodes.map { ($0.node, $0.room) })
        return chosen.filter { p in
            guard load[p.mentor] < start.capacity[p.mentor], taken[p.mentee] < start.places[p.mentee] else { return false }
            let node = layer.target(mentor: p.mentor, mentee: p.mentee, mentorBase: nodes.mentor(0), layerBase: nodes.layerBase) - nodes.layerBase
            if node >= 0 {
                guard room[node, default: 0] > 0 else { return false }
                room[node, default: 0] -= 1
            }
            load[p.mentor] += 1
            taken[p.mentee] += 1
            return true
        }
    }

    /// Solves, prices every other eligible pair and solves again until no pair prices out.
    func solve(warm: NetworkSolver.Flow?) throws -> NetworkSolver.Flow {
        addCandidates(warm: warm)
        var (sol, complete): (MinCostFlow.Solution, Bool)
        if let w = warm?.solution {
            // Same arcs, some gains changed: the old optimum violates only the changed arcs, by
            // little — a few primal–dual phases repair it (a warm cost scaling would sweep every
            // arc in every refinement).
            (sol, complete) = net.reoptimize(source: source, sink: sink, from: w, stop: { [unowned self] in stopNow() })
        } else {
            (sol, complete) = coldSolve()
        }
        solver.progress?(String(format: "flow on %d arcs: %d phases (%.2f s)", net.arcCount, sol.phases, elapsed))
        var rounds = 1
        while true {
            let chosen = pairArcs.filter { sol.flow[$0.arc] > 0 }.map { (mentor: $0.mentor, mentee: $0.mentee) }
            let seconds = elapsed
            guard complete else {
                return NetworkSolver.Flow(
                    pairs: feasiblePart(chosen), rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: false, seconds: seconds)
            }
            guard net.certifies(sol, source: source, sink: sink) else {
                throw SolverFailure(message: "the flow's potentials do not certify its optimality")
            }
            let found = priceOut(sol.potential, limit: tuning.pricingLimit)
            addPriced(found)
            let added = found.count
            solver.progress?(
                String(
                    format: "pricing round %d: %d arcs, %d phases; %d pairs priced in, %d mentees' pairs read in %.2f s (%.2f s)",
                    rounds, net.arcCount, sol.phases, added, menteesRead, pricingSeconds, elapsed))
            if added == 0 {
                return NetworkSolver.Flow(
                    pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: true, seconds: seconds,
                    order: pairArcs.map { (Int32($0.mentee), Int32($0.mentor), $0.points) }, solution: sol)
            }
            rounds += 1
            (sol, complete) = resolve(after: added, from: sol)
        }
    }

    /// A few new arcs: repair the previous optimum in primal–dual phases; many: warm cost scaling
    /// (or, without scaling, afresh).
    private func resolve(after added: Int, from sol: MinCostFlow.Solution) -> (MinCostFlow.Solution, Bool) {
        if tuning.costScaling && added > max(tuning.repairLimit, net.arcCount / max(1, tuning.repairArcsPerPair)) {
            return scale(from: sol)
        } else if tuning.costScaling || added <= max(200, net.arcCount / 10) {
            return net.reoptimize(source: source, sink: sink, from: sol, stop: { [unowned self] in stopNow() })
        }
        return coldSolve()
    }
}
