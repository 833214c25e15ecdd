import MatchModel

extension NetworkSolver {
    /// Network first's hand-over: with the access/reach rules taken out, says which of them the
    /// flow's optimum breaks (``SolveOutcome/sideRules``). When it breaks none, that optimum is the
    /// program's. Else the broken rules are priced into the flow (Lagrangian relaxation: every
    /// flow's value bounds the program's optimum, every flow that keeps the rules is a cohort) and,
    /// whatever kept the pricing from proving the answer, the best cohort keeping every rule is
    /// handed over to start the full model from.
    func reportSideRules(
        _ outcome: inout SolveOutcome, cohort all: [(mentor: Int, mentee: Int)], relaxedFlow: Flow, complete: Bool,
        setting: FlowSetting, w: Int64, weights: [Int64], stages: inout [StageReport]
    ) throws {
        let start = setting.start
        let lockKeys = Set(start.locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        let unmet = CohortCheck.violations(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        outcome.sideRules = SideRuleReport(unmet: unmet)
        if unmet.isEmpty && complete {
            outcome.stages.append(
                StageReport(
                    name: "check: every access/reach rule holds at this optimum without them, so it is optimal",
                    termination: .optimal, objective: nil, bound: nil, seconds: 0, variables: 0, constraints: 0))
        } else if complete, instance.policy.objective == .coverageThenScore, let rows = SideRow.rows(instance) {
            let repair = outcome.eligiblePairs <= ruleRepairPairLimit ? ruleRepair(rows: rows, w: w) : nil
            let priced = try priceSideRules(
                rows: rows, w: w, maxPoints: setting.maxPoints, weights: weights, prematched: start.prematched, locks: start.locks,
                layer: start.layer, relaxedFlow: relaxedFlow, ruleRepair: repair, clock: setting.clock
            ) { name, firstGain, pairGain, warm in
                try flow(name, setting, minPoints: nil, firstGain: firstGain, pairGain: pairGain, warm: warm, stages: &stages)
            }
            outcome.stages = stages
            if let best = priced.cohort {
                let o = CohortCheck.objective(instance, pairs: best.map { ($0.mentor, $0.mentee) })
                let sorted = best.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
                outcome.sideRules?.cohort = sorted
                if priced.proven {
                    outcome.pairs = sorted
                    outcome.objective = o
                    outcome.sideRules?.unmet = []
                    outcome.stages.append(
                        StageReport(
                            name: "side rules priced into the flow: the best cohort meeting them reaches the bound",
                            termination: .optimal, objective: Double(o.totalPoints), bound: nil,
                            seconds: 0, variables: 0, constraints: 0))
                }
            }
            outcome.sideRules?.bound = priced.bound.map { (coverage: Int($0 / w), points: Int($0 % w)) }
            if let most = priced.coverageBound {
                // The counts proved less coverage than the priced flows: no points bound at that coverage.
                outcome.sideRules?.bound = (most, nil)
            }
            if !priced.proven {
                outcome.sideRules?.pairs = priced.pairsThatMatter?.pairs
                outcome.sideRules?.pairCount = priced.pairsThatMatter?.count
            }
            outcome.seconds = setting.clock.elapsed
        }
        // Whatever stopped the pricing or kept it from running (a stop, the fairness objective,
        // a share with no short decimal form, no priced flow keeping every rule): the answer so
        // far, repaired rule by rule, is a cohort that keeps every rule to report or to start
        // from — on larger programs, repaired with each mentee's best pairs only.
        let perMentee = outcome.eligiblePairs <= ruleRepairPairLimit ? nil : max(1, ruleRepairPairLimit / max(1, instance.mentees.count))
        if !unmet.isEmpty, outcome.sideRules?.cohort == nil, let rows = SideRow.rows(instance),
            let r = ruleRepair(rows: rows, w: w, perMentee: perMentee).repair(all, locked: lockKeys),
            CohortCheck.violations(instance, pairs: r.map { ($0.mentor, $0.mentee) }).isEmpty
        {
            outcome.sideRules?.cohort = r.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        }
    }
}
