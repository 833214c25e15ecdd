import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

/// `review accept | reject | lock | unlock`: one decision on named pairs, recorded in the cycle
/// with who and why (one concept: the four verbs differ only in the action they record).
extension ReviewCommand {
    struct PairOptions: ParsableArguments {
        @Argument(help: "The program file.") var program: String
        @Argument(help: ArgumentHelp("Pairs as MENTOR:MENTEE.", valueName: "MENTOR:MENTEE")) var pairs: [String]
        @Option(help: "Why (recorded in the audit trail).") var reason: String
        @OptionGroup var options: StoreOptions

        func validate() throws {
            if pairs.isEmpty { throw ValidationError("name at least one pair, e.g. M12:E40") }
            for p in pairs where Propose.pair(p) == nil { throw ValidationError("'\(p)' is not a pair; write MENTOR:MENTEE") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
        }

        func record(_ action: DecisionAction, standing: Bool = false) throws {
            try reportingInputErrors {
                let keys = pairs.compactMap(Propose.pair)
                let r = try Review(programPath: program, storePath: options.store)
                    .decide(action, pairs: keys, by: options.reviewer, reason: reason, standing: standing)
                Terminal.error(
                    "\(action.pastTense) \(keys.map(\.description).joined(separator: ", ")) in cycle '\(r.cycle)'"
                        + (standing ? " and every later cycle" : "")
                        + "\(r.proposalID.map { " (reviewing proposal \($0))" } ?? ""); the next propose applies it")
            }
        }
    }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a decision: accept, reject, lock or unlock.", shouldDisplay: false)
        @Argument var action: String
        @OptionGroup var pair: PairOptions
        func run() throws {
            guard let a = DecisionAction(rawValue: action) else { throw ValidationError("action must be accept, reject, lock or unlock") }
            try pair.record(a)
        }
    }
    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep proposed pairs: this cycle's later proposals fix them.")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.accept) }
    }
    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Never propose these pairs again in this cycle (with --always, in any cycle).")
        @OptionGroup var pair: PairOptions
        @Flag(help: "Carry the rejection into every later cycle (a standing exclusion with its reason).") var always = false
        func run() throws { try pair.record(.reject, standing: always) }
    }
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fix negotiated pairs in this cycle (they need not be in a proposal).")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.lock) }
    }
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift the accept, reject or lock in force on pairs.")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.unlock) }
    }
}
