import Foundation

/// What a solve proves about the cohort it returns, as values. The sentence a
/// program owner reads is made from it (``sentence(for:)``); the exit code,
/// the report and the tests read the values.
///
/// A proven optimum needs no proof value (the status says it); a proof is
/// attached whenever the status is `feasible` or `time_limit`.
public struct Proof: Sendable, Equatable {
    /// How the solve ended before proving the cohort best.
    public enum Ending: String, Sendable, Equatable {
        /// The time limit, or the user's Ctrl-C.
        case stopped
        /// The requested relative gap was reached.
        case withinRequestedGap
        /// The program was answered without the full model (too large, or the reduced model could not settle).
        case answeredWithoutFullModel
    }

    /// The fairness search (coverage_then_fairness): the weakest pair's points proven
    /// reachable, and the first threshold not settled before the stop.
    public struct FairnessSearch: Sendable, Equatable {
        public var reachable: Int
        public var unsettled: Int

        public init(reachable: Int, unsettled: Int) {
            self.reachable = reachable
            self.unsettled = unsettled
        }
    }

    public var ending: Ending
    /// False when the solve stopped before any cohort keeping every rule was found
    /// (the proposal then has no pairs, and `propose` exits with 3).
    public var cohortFound = true
    /// No cohort keeping every rule has more coverage than this.
    public var coverageBound: Int?
    /// No cohort keeping every rule, at this cohort's coverage, has more total points than this.
    public var pointsBound: Int?
    /// The fairness search, when it was cut short.
    public var fairness: FairnessSearch?

    public init(
        ending: Ending, cohortFound: Bool = true, coverageBound: Int? = nil, pointsBound: Int? = nil,
        fairness: FairnessSearch? = nil
    ) {
        self.ending = ending
        self.cohortFound = cohortFound
        self.coverageBound = coverageBound
        self.pointsBound = pointsBound
        self.fairness = fairness
    }

    /// Both proofs hold: the tighter bound of each kind.
    public func combined(with other: Proof?) -> Proof {
        guard let other else { return self }
        var p = self
        p.coverageBound = [coverageBound, other.coverageBound].compactMap { $0 }.min()
        p.pointsBound = [pointsBound, other.pointsBound].compactMap { $0 }.min()
        p.fairness = fairness ?? other.fairness
        return p
    }

    /// The proof in words, against the cohort it is about.
    public func sentence(for o: CohortCheck.Objective) -> String {
        var parts: [String] = []
        if !cohortFound {
            parts.append("no cohort was found before the stop")
        } else {
            switch ending {
            case .stopped: parts.append("stopped before the cohort was proven the best; it keeps every rule")
            case .withinRequestedGap: parts.append("within the requested gap; the cohort keeps every rule")
            case .answeredWithoutFullModel: parts.append("a cohort keeping every rule, not proven the best")
            }
        }
        if let c = coverageBound, !cohortFound || c > o.coverage {
            parts.append(cohortFound ? "coverage ≤ \(c) proven (this cohort \(o.coverage))" : "coverage ≤ \(c) proven")
        } else if cohortFound, coverageBound != nil {
            var points = "coverage \(o.coverage) is the most possible"
            if let b = pointsBound {
                let gap = max(0, b - o.totalPoints)
                points +=
                    "; total points ≤ \(b) proven (this cohort \(o.totalPoints); gap \(gap) points, "
                    + String(format: "%.3f", 100 * Double(gap) / Double(max(1, b))) + "%)"
            }
            parts.append(points)
        }
        if let f = fairness {
            parts.append("the weakest pair's points ≥ \(f.reachable) proven reachable; \(f.unsettled) not settled")
        }
        return parts.joined(separator: "; ")
    }
}
