import Foundation
import MatchModel
import MatchStore

/// The `review show` use case: one stored proposal with the decisions in force in its
/// cycle and the roster's names, ready to be shown to the people deciding.
public struct ReviewShow: Sendable {
    public let review: Review

    public init(_ review: Review) { self.review = review }

    /// A proposal as shown for review.
    public struct Shown: Sendable {
        public var proposal: StoredProposal
        /// The decisions in force in the proposal's cycle.
        public var binding: BindingDecisions
        /// Roster names by id (empty when the roster no longer loads).
        public var names: [String: String]
        /// The roster or side files changed since the proposal was made.
        public var inputsChanged: Bool
        /// The program as it loads today (nil when it no longer loads).
        public var program: Program? = nil

        /// "Ann Lee (M12)", or the id alone when the roster has no name.
        public func who(_ id: String) -> String { names[id].map { $0.isEmpty ? id : "\($0) (\(id))" } ?? id }

        /// Decisions in force on pairs the proposal does not hold.
        public var otherDecisions: [(pair: PairKey, record: DecisionRecord)] {
            Set(binding.inForce.keys).subtracting(proposal.pairs.map(\.key)).sorted().map { ($0, binding.inForce[$0]!) }
        }
    }

    /// The proposal `id`, or the newest of the program's cycle.
    public func load(proposalID: Int64?) throws -> Shown {
        try load(proposalID: proposalID, program: try? ProgramLoader.load(path: review.programPath).program)
    }

    /// The same, with the program already loaded (nil: it does not load).
    public func load(proposalID: Int64?, program: Program?) throws -> Shown {
        let store = try review.open()
        let found = try review.guarded {
            if let proposalID { return try store.proposal(proposalID) }
            if let program { return try store.newestProposal(cycle: program.cohort, kind: nil) }
            return try store.proposal()
        }
        guard let p = found else {
            throw InputError(
                SourceLocation(file: review.storePath),
                proposalID == nil ? "no proposals in this cycle yet" : "there is no proposal \(proposalID!)")
        }
        let binding = try review.guarded { try store.binding(cycle: p.cohort) }
        let names = Dictionary((program?.people ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let changed = program.map { Review.fingerprint(program: $0) != p.rosterHash } ?? false
        return Shown(proposal: p, binding: binding, names: names, inputsChanged: changed, program: program)
    }

    /// Whole factor names, in the order of SPEC 3, from a stored pair's factor JSON.
    public static func factors(_ json: String) -> String {
        guard let d = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double] else { return json }
        let order = [
            ("skills", "skills"), ("level", "level"), ("timezone", "time zone"), ("preference", "preference"),
            ("style", "style"), ("cross_department", "other department")
        ]
        return order.map { "\($0.1) \(String(format: "%.2f", d[$0.0] ?? 0))" }.joined(separator: ", ")
    }
}
