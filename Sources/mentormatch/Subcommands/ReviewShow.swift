import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

extension ReviewCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A proposal's pairs with names, points and factors, the decisions in force, the unmatched with reasons.")
        @Argument(help: "The program file.") var program: String
        @Argument(help: "The proposal id (default: the newest of the current cycle).") var proposal: Int64?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let review = Review(programPath: program, storePath: options.store)
                let store = try review.open()
                let loaded = try? ProgramLoader.load(path: program).program
                let found =
                    try proposal.map { try store.proposal($0) }
                    ?? (loaded.map { try store.newestProposal(cycle: $0.cohort, kind: nil) } ?? store.proposal())
                guard let p = found else {
                    throw InputError(
                        SourceLocation(file: review.storePath),
                        proposal == nil ? "no proposals in this cycle yet" : "there is no proposal \(proposal!)")
                }
                let names = Dictionary((loaded?.people ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                func who(_ id: String) -> String { names[id].map { $0.isEmpty ? id : "\($0) (\(id))" } ?? id }
                var out = "proposal \(p.id) — \(p.program), cycle '\(p.cohort)', made by \(p.kind.rawValue) on \(p.createdAt) by \(p.createdBy)\n"
                out +=
                    "status \(p.status): \(Numbers.grouped(p.matchedMentees)) mentees matched, \(Numbers.grouped(p.totalPoints)) points in all, the weakest pair \(p.minPoints)\n"
                if let program = loaded, Review.fingerprint(program: program) != p.rosterHash {
                    out += "warning: the roster or side files changed since this proposal was made; decisions still name people by id\n"
                }
                let binding = try store.binding(cycle: p.cohort)
                out +=
                    "\n"
                    + TextTable.render(
                        header: ["mentor", "mentee", "points", "factors", "decision"],
                        rows: p.pairs.map {
                            [
                                who($0.mentorID), who($0.menteeID), "\($0.points)", Self.factors($0.factorsJSON),
                                binding.label($0.key) ?? ""
                            ]
                        },
                        rightAligned: [2])
                if !p.unmatched.isEmpty {
                    out += "\nunmatched (\(p.unmatched.count)):\n"
                    for u in p.unmatched { out += "  \(who(u.menteeID)): \(u.reasons.joined(separator: "; "))\n" }
                }
                let others = Set(binding.inForce.keys).subtracting(p.pairs.map(\.key))
                if !others.isEmpty {
                    out += "\ndecisions on pairs not in this proposal:\n"
                    for k in others.sorted() {
                        let d = binding.inForce[k]!
                        out +=
                            "  \(who(k.mentorID)) – \(who(k.menteeID)): \(binding.label(k) ?? "")\(d.standing ? " in every cycle" : "") by \(d.by): \(d.reason)\n"
                    }
                }
                Terminal.write(out)
            }
        }

        /// Whole factor names, in the order of SPEC 3.
        static func factors(_ json: String) -> String {
            guard let d = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double] else { return json }
            let order = [
                ("skills", "skills"), ("level", "level"), ("timezone", "time zone"), ("preference", "preference"),
                ("style", "style"), ("cross_department", "other department")
            ]
            return order.map { "\($0.1) \(String(format: "%.2f", d[$0.0] ?? 0))" }.joined(separator: ", ")
        }
    }
}
