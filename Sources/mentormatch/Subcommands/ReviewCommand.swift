import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review proposals: list, show, and accept / reject / lock / unlock pairs.",
        discussion: """
        Decisions are recorded in the program store with who (--by), when and why
        (--reason). The next `propose` fixes locked and accepted pairs and excludes
        rejected ones, and says so.

        Examples:
          mentormatch review list program.yaml
          mentormatch review show program.yaml
          mentormatch review lock program.yaml M12:E40 --reason "agreed with both managers"
          mentormatch review reject program.yaml M3:E7 --reason "same project team"
        """,
        subcommands: [List.self, Show.self, Decide.self, Accept.self, Reject.self, Lock.self, Unlock.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The proposals, newest first, with status and headline figures.")
        @Argument(help: "The program file.") var program: String
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let store = try Review(programPath: program, storePath: options.store).open()
                let rows = try store.proposals().map { p in
                    ["\(p.id)", p.createdAt, p.createdBy, p.status, "\(p.coverage)", "\(p.matchedMentees)", "\(p.totalPoints)", "\(p.minPoints)", p.note]
                }
                if rows.isEmpty { Terminal.write("no proposals yet; run `mentormatch propose \(program)`\n"); return }
                Terminal.write(TextTable.render(header: ["id", "when", "by", "status", "coverage", "matched", "points", "min", "note"],
                                                rows: rows, rightAligned: [0, 4, 5, 6, 7]))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A proposal's pairs with points and factors, decisions so far, unmatched with reasons.")
        @Argument(help: "The program file.") var program: String
        @Argument(help: "The proposal id (default: the newest).") var proposal: Int64?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let review = Review(programPath: program, storePath: options.store)
                let store = try review.open()
                guard let p = try store.proposal(proposal) else {
                    throw InputError(SourceLocation(file: review.storePath), proposal == nil ? "no proposals yet" : "there is no proposal \(proposal!)")
                }
                let loaded = try? ProgramLoader.load(path: program).program
                var out = "proposal \(p.id) — \(p.program)\(p.cohort.isEmpty ? "" : ", cohort \(p.cohort)"), \(p.createdAt) by \(p.createdBy)\n"
                out += "status \(p.status); coverage \(p.coverage), matched \(p.matchedMentees), total points \(p.totalPoints), minimum \(p.minPoints)\n"
                if let program = loaded, Review.fingerprint(program: program) != p.rosterHash {
                    out += "warning: the roster or side files changed since this proposal was made; decisions still name people by id\n"
                }
                let binding = try store.binding()
                func decision(_ k: PairKey) -> String {
                    binding.locked.contains(k) ? "locked" : binding.accepted.contains(k) ? "accepted" : binding.rejected.contains(k) ? "rejected" : ""
                }
                out += "\n" + TextTable.render(header: ["mentor", "mentee", "points", "factors", "decision"],
                                               rows: p.pairs.map { [$0.mentorID, $0.menteeID, "\($0.points)", Self.compact($0.factorsJSON), decision($0.key)] },
                                               rightAligned: [2])
                if !p.unmatched.isEmpty {
                    out += "\nunmatched (\(p.unmatched.count)):\n"
                    for u in p.unmatched { out += "  \(u.menteeID): \(u.reasons.joined(separator: "; "))\n" }
                }
                let others = binding.locked.union(binding.rejected).union(binding.accepted).subtracting(p.pairs.map(\.key))
                if !others.isEmpty {
                    out += "\ndecisions on pairs not in this proposal:\n"
                    for k in others.sorted() { out += "  \(k): \(decision(k))\n" }
                }
                Terminal.write(out)
            }
        }

        static func compact(_ json: String) -> String {
            guard let d = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double] else { return json }
            let order = ["skills", "level", "timezone", "preference", "style", "cross_department"]
            return order.map { "\($0.prefix(4))=\(String(format: "%.2f", d[$0] ?? 0))" }.joined(separator: " ")
        }
    }

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

        func record(_ action: DecisionAction) throws {
            try reportingInputErrors {
                let keys = pairs.compactMap(Propose.pair)
                let id = try Review(programPath: program, storePath: options.store).decide(action, pairs: keys, by: options.reviewer, reason: reason)
                Terminal.error("\(action.rawValue)ed \(keys.map(\.description).joined(separator: ", "))\(id.map { " (reviewing proposal \($0))" } ?? ""); the next propose applies it")
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
        static let configuration = CommandConfiguration(abstract: "Keep pairs: later proposals fix them.")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.accept) }
    }
    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Never propose these pairs again.")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.reject) }
    }
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fix negotiated pairs (they need not be in a proposal).")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.lock) }
    }
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo an accept, reject or lock.")
        @OptionGroup var pair: PairOptions
        func run() throws { try pair.record(.unlock) }
    }
}

func reportingInputErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as InputError {
        Terminal.report(e.diagnostics)
        throw ExitCode(1)
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The audit trail: every decision and erasure, oldest first.")
    @Argument(help: "The program file.") var program: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let store = try Review(programPath: program, storePath: options.store).open()
            let rows = try store.log().map { ["\($0.id)", $0.at, $0.by, $0.action.rawValue, $0.pair.description, $0.reason, $0.proposalID.map(String.init) ?? ""] }
            var out = rows.isEmpty ? "no decisions yet\n" : TextTable.render(header: ["#", "when", "by", "action", "pair", "reason", "proposal"], rows: rows)
            let erasures = try store.erasures()
            if !erasures.isEmpty {
                out += "\nerasures:\n" + TextTable.render(header: ["when", "by", "reason", "rows deleted"],
                                                          rows: erasures.map { [$0.at, $0.by, $0.reason, "\($0.rows)"] }, rightAligned: [3])
            }
            Terminal.write(out)
        }
    }
}

struct RematchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rematch",
        abstract: "Give one mentee a new mentor, keeping every other pair as it is.",
        discussion: "The mentee's current pair is dissolved and rejected (with --reason), every other pair of the newest proposal is kept, and the mentee gets the best mentor still available — or the reason none is left.")
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The mentee's id.") var mentee: String
    @Option(help: "Why the pairing failed (recorded).") var reason: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let r = try Review(programPath: program, storePath: options.store)
                .rematch(EngineOverrides.propose(), menteeID: mentee, by: options.reviewer, reason: reason)
            let now = r.result.proposal.pairs.filter { $0.menteeID == mentee }
            var out = "dissolved: " + (r.dissolved.isEmpty ? "none (the mentee had no mentor)" : r.dissolved.map(\.description).joined(separator: ", ")) + "\n"
            if r.result.proposal.status == .infeasible {
                out += "no cohort keeps every other pair and every rule:\n" + r.result.proposal.conflicts.map { "  - \($0)\n" }.joined()
            } else if now.isEmpty {
                let why = r.result.proposal.unmatched.first { $0.menteeID == mentee }?.reasons ?? []
                out += "no mentor is left for \(mentee): " + why.joined(separator: "; ") + "\n"
            } else {
                out += "new: " + now.map { "\($0.mentorID):\($0.menteeID) (\($0.points) points)" }.joined(separator: ", ") + "\n"
            }
            out += "recorded as proposal \(r.applied.proposalID.map(String.init) ?? "?") (status \(r.result.proposal.status.rawValue))\n"
            Terminal.write(out)
        }
    }
}

struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cohort", abstract: "Finalise cohorts.", subcommands: [Finalize.self])
    struct Finalize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the reviewed proposal the cohort; its pairs join the history used by no_repeat_pairs.")
        @Argument(help: "The program file.") var program: String
        @Option(help: "Proposal id (default: the newest).") var proposal: Int64?
        @Option(help: "Cohort name (default: the program's cohort).") var name: String?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let r = try Review(programPath: program, storePath: options.store).finalize(name: name, proposalID: proposal, by: options.reviewer)
                Terminal.write("cohort \(r.cohort) finalised from proposal \(r.proposal): \(r.pairs) pairs join the history\n")
            }
        }
    }
}

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a person from the store (right to erasure).",
        discussion: "Deletes every record of PERSON — proposal pairs, unmatched entries, decisions, cohort pairs — replaces their id and roster name with '(erased)' wherever free text names them (other decisions' reasons, notes), then compacts the database file so no trace remains in it. Ids match whole: erasing E4 leaves E40 alone. The erasure is logged with who, when and why, never whom. Files outside the store (the roster, side files, reports and exports already written) are not touched: remove the person there too.")
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The person's id.") var person: String
    @Option(help: "Why (recorded, without the person's data).") var reason: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let erasure = try Review(programPath: program, storePath: options.store).forget(personID: person, by: options.reviewer, reason: reason)
            let n = erasure.rows
            Terminal.write("erased: \(n) record\(n == 1 ? "" : "s") deleted or scrubbed and the store compacted\n")
            let named = erasure.writtenFiles.filter { !$0.pseudonymised }
            if !named.isEmpty {
                Terminal.write("files written earlier from proposals that named \(person) (delete them, or write them again):\n")
                for f in named { Terminal.write("  \(f.path)  (\(f.kind) from proposal \(f.proposalID), \(f.writtenAt))\n") }
            }
            let pseudonymised = erasure.writtenFiles.count - named.count
            if pseudonymised > 0 {
                Terminal.write("\(pseudonymised) pseudonymised file\(pseudonymised == 1 ? "" : "s") also came from those proposals; they hold no name or id\n")
            }
            Terminal.error("note: the roster and the side files (preferences, exclusions, history, org) still hold \(person), "
                           + "and so may copies of outputs the store never saw (standard output, files moved since): remove the person there too")
        }
    }
}
