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
        A program runs in cycles, named by `cohort:` in program.yaml. Decisions are
        recorded in the program store for the current cycle, with who (--by), when
        and why (--reason). The next `propose` in the cycle fixes locked and
        accepted pairs and excludes rejected ones, and says so; a new cycle starts
        with no decisions, except rejections made with --always.

        accept   keep a proposed pair      lock    fix a negotiated pair
        reject   never propose the pair    unlock  lift the decision in force

        Examples:
          mentormatch review list program.yaml
          mentormatch review show program.yaml
          mentormatch review lock program.yaml M12:E40 --reason "agreed with both managers"
          mentormatch review reject program.yaml M3:E7 --reason "same project team" --always
        """,
        subcommands: [List.self, Show.self, Decide.self, Accept.self, Reject.self, Lock.self, Unlock.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cycle's proposals, newest first, with status and headline figures.")
        @Argument(help: "The program file.") var program: String
        @Flag(help: "Every cycle's proposals, not only the current cycle's.") var all = false
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let store = try Review(programPath: program, storePath: options.store).open()
                let cycle = try? ProgramLoader.load(path: program).program.cohort
                let shown = try store.proposals().filter { all || cycle == nil || $0.cohort == cycle }
                let rows = shown.map { p in
                    ["\(p.id)", p.cohort, p.kind.rawValue, p.createdAt, p.createdBy, p.status, Numbers.grouped(p.matchedMentees),
                     Numbers.grouped(p.totalPoints), Numbers.grouped(p.minPoints), p.note]
                }
                if rows.isEmpty {
                    Terminal.write("no proposals\(all || cycle == nil ? "" : " in cycle '\(cycle!)'") yet; run `mentormatch propose \(program)`\n")
                    return
                }
                Terminal.write(TextTable.render(header: ["id", "cycle", "made by", "when", "who", "status", "matched", "points", "weakest", "note"],
                                                rows: rows, rightAligned: [0, 6, 7, 8]))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A proposal's pairs with names, points and factors, the decisions in force, the unmatched with reasons.")
        @Argument(help: "The program file.") var program: String
        @Argument(help: "The proposal id (default: the newest of the current cycle).") var proposal: Int64?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let review = Review(programPath: program, storePath: options.store)
                let store = try review.open()
                let loaded = try? ProgramLoader.load(path: program).program
                let found = try proposal.map { try store.proposal($0) }
                    ?? (loaded.map { try store.newestProposal(cycle: $0.cohort, kind: nil) } ?? store.proposal())
                guard let p = found else {
                    throw InputError(SourceLocation(file: review.storePath), proposal == nil ? "no proposals in this cycle yet" : "there is no proposal \(proposal!)")
                }
                let names = Dictionary((loaded?.people ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                func who(_ id: String) -> String { names[id].map { $0.isEmpty ? id : "\($0) (\(id))" } ?? id }
                var out = "proposal \(p.id) — \(p.program), cycle '\(p.cohort)', made by \(p.kind.rawValue) on \(p.createdAt) by \(p.createdBy)\n"
                out += "status \(p.status): \(Numbers.grouped(p.matchedMentees)) mentees matched, \(Numbers.grouped(p.totalPoints)) points in all, the weakest pair \(p.minPoints)\n"
                if let program = loaded, Review.fingerprint(program: program) != p.rosterHash {
                    out += "warning: the roster or side files changed since this proposal was made; decisions still name people by id\n"
                }
                let binding = try store.binding(cycle: p.cohort)
                out += "\n" + TextTable.render(header: ["mentor", "mentee", "points", "factors", "decision"],
                                               rows: p.pairs.map { [who($0.mentorID), who($0.menteeID), "\($0.points)", Self.factors($0.factorsJSON),
                                                                    binding.label($0.key) ?? ""] },
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
                        out += "  \(who(k.mentorID)) – \(who(k.menteeID)): \(binding.label(k) ?? "")\(d.standing ? " in every cycle" : "") by \(d.by): \(d.reason)\n"
                    }
                }
                Terminal.write(out)
            }
        }

        /// Whole factor names, in the order of SPEC 3.
        static func factors(_ json: String) -> String {
            guard let d = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double] else { return json }
            let order = [("skills", "skills"), ("level", "level"), ("timezone", "time zone"), ("preference", "preference"),
                         ("style", "style"), ("cross_department", "other department")]
            return order.map { "\($0.1) \(String(format: "%.2f", d[$0.0] ?? 0))" }.joined(separator: ", ")
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

        func record(_ action: DecisionAction, standing: Bool = false) throws {
            try reportingInputErrors {
                let keys = pairs.compactMap(Propose.pair)
                let r = try Review(programPath: program, storePath: options.store)
                    .decide(action, pairs: keys, by: options.reviewer, reason: reason, standing: standing)
                let verb = ["accept": "accepted", "reject": "rejected", "lock": "locked", "unlock": "unlocked"][action.rawValue]!
                Terminal.error("\(verb) \(keys.map(\.description).joined(separator: ", ")) in cycle '\(r.cycle)'"
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

func reportingInputErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as InputError {
        Terminal.report(e.diagnostics)
        throw ExitCode(1)
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The audit trail: proposals, rematches, decisions, finalisations and erasures, oldest first.")
    @Argument(help: "The program file.") var program: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let store = try Review(programPath: program, storePath: options.store).open()
            let rows = try store.auditTrail().map { [$0.at, $0.by, $0.kind == .erasure ? "" : $0.cycle, $0.kind.rawValue, $0.what, $0.reason] }
            Terminal.write(rows.isEmpty ? "nothing recorded yet\n" : TextTable.render(header: ["when", "who", "cycle", "kind", "what", "why"], rows: rows))
        }
    }
}

struct RematchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rematch",
        abstract: "Give one mentee a new mentor, keeping every other pair as it is.",
        discussion: "The mentee's current pair is dissolved and rejected in this cycle (with --reason), every other pair of the cycle's newest cohort is kept, and the mentee gets the best mentor still available — or the reason none is left. A pair fixed by an accept or lock moves only with --force. Run `propose` before finalising: finalisation takes the newest proposal made by propose.")
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The mentee's id.") var mentee: String
    @Option(help: "Why the pairing failed (recorded).") var reason: String
    @Flag(help: "Also dissolve a pair that a decision fixed (accepted or locked).") var force = false
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let r = try Review(programPath: program, storePath: options.store)
                .rematch(EngineOverrides.propose(), menteeID: mentee, by: options.reviewer, reason: reason, force: force)
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
            abstract: "Finalise the cycle: its reviewed proposal becomes the cohort, whose pairs join the history used by no_repeat_pairs.",
            discussion: """
            Takes the cycle's newest proposal made by `propose` (not a rematch), and refuses it
            when decisions were made after it (run propose to apply them) or the roster changed.
            Then start the next cycle by giving `cohort:` in program.yaml a new name: its
            proposals start with no decisions and never repeat a finalised pair.
            """)
        @Argument(help: "The program file.") var program: String
        @Option(help: "Proposal id (default: the cycle's newest made by propose).") var proposal: Int64?
        @Option(help: "Cohort name (default: the cycle's name).") var name: String?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let r = try Review(programPath: program, storePath: options.store).finalize(name: name, proposalID: proposal, by: options.reviewer)
                Terminal.write("cycle '\(r.cycle)' finalised as cohort '\(r.cohort)' from proposal \(r.proposal): \(Numbers.grouped(r.pairs)) pairs join the history; "
                               + "start the next cycle by naming it with `cohort:` in \((program as NSString).lastPathComponent)\n")
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
