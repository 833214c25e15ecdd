import Foundation
import MatchModel
import MatchSolver
import MatchStore

/// The review workflow over the program store: propose with decisions,
/// decide on pairs, re-match one mentee, finalise a cohort, erase a person.
public struct Review: Sendable {
    public let programPath: String
    public let storePath: String

    public init(programPath: String, storePath: String? = nil) {
        self.programPath = programPath
        self.storePath = storePath ?? ProgramStore.defaultPath(forProgram: programPath)
    }

    public func open() throws -> ProgramStore {
        do { return try ProgramStore(path: storePath) } catch let e as StoreError {
            throw InputError(SourceLocation(file: e.path), e.message)
        }
    }

    /// What a propose run did with the store.
    public struct Applied: Sendable {
        /// The cycle worked in (the program's `cohort:`).
        public var cycle = ""
        public var locked = 0, accepted = 0, rejected = 0
        /// Of the rejections, those carried forward from earlier cycles on purpose.
        public var standing = 0
        /// Decisions not applied, and why (stale: a person left the roster).
        public var stale: [String] = []
        public var historyPairs = 0
        public var proposalID: Int64?
    }

    /// The default reviewer: the OS user (the CLI's `--by` or the login's `USER` come first).
    public static var currentUser: String { NSUserName() }

    /// Proposes in the program's cycle with the decisions in force there, records the run, and returns both.
    /// `extraLocks` and `extraRejects` come from the command line; `keep` are the pairs a re-match keeps.
    public func propose(
        _ base: Propose, overrides: [ProgramOverride] = [], extraLocks: Set<PairKey> = [],
        extraRejects: Set<PairKey> = [], keep: Set<PairKey> = [], onlyMatch: Set<String>? = nil,
        note: String = "", kind: ProposalKind = .propose, by: String = Review.currentUser
    )
        throws -> (result: Propose.Result, applied: Applied)
    {
        let store = try open()
        let loaded = try ProgramLoader.load(path: programPath, overrides: overrides)
        var program = loaded.program
        var applied = Applied()
        let cycle = program.cohort
        applied.cycle = cycle
        if let done = try guarded({ try store.finalisation(of: cycle) }) {
            throw InputError(
                SourceLocation(file: programPath),
                "cycle '\(cycle)' was finalised on \(done.at) by \(done.by)"
                    + " (cohort '\(done.cohort)'\(done.proposalID.map { " from proposal \($0)" } ?? "")); to start the next cycle, "
                    + "give it a new name with `cohort:` in \((programPath as NSString).lastPathComponent)")
        }
        let storeHistory = try guarded { try store.history() }
        let known = Set(program.people.map(\.id))
        program.history += storeHistory.filter { known.contains($0.mentorID) && known.contains($0.menteeID) }
        applied.historyPairs = storeHistory.count
        let binding = try guarded { try store.binding(cycle: cycle) }
        func live(_ set: Set<PairKey>, _ what: String) -> Set<PairKey> {
            set.filter { p in
                let missing = [p.mentorID, p.menteeID].filter { !known.contains($0) }
                if !missing.isEmpty {
                    applied.stale.append(
                        "\(what) \(p) is not applied: \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") no longer in the roster"
                    )
                    return false
                }
                return true
            }
        }
        let locked = live(binding.locked, "lock"), accepted = live(binding.accepted, "accept"), rejected = live(binding.rejected, "reject")
        applied.locked = locked.count
        applied.accepted = accepted.count
        applied.rejected = rejected.count
        applied.standing = rejected.filter { binding.inForce[$0]?.standing == true }.count
        var p = base
        p.decisions = ReviewDecisions(
            locked: locked.union(accepted).union(extraLocks).union(keep).subtracting(extraRejects),
            rejected: rejected.union(extraRejects), onlyMatch: onlyMatch)
        for pair in locked.union(extraLocks) { p.decisions.labels[pair] = .locked }
        for pair in accepted { p.decisions.labels[pair] = .accepted }
        var result = try p.run(program: program)
        result.warnings = loaded.warnings
        if result.proposal.status == .infeasible {
            result.proposal.conflicts = result.proposal.conflicts.map { Self.withDecision($0, binding, programPath) }
        }
        let proposal = result.proposal
        // Each pair's factors as JSON, on every core (49 k pairs at 100k × 25k).
        let factorsJSON = parallelChunks(proposal.pairs, chunk: 4_096) { pairs -> [String] in
            let encoder = JSONEncoder()
            return pairs.map { pair in (try? encoder.encode(pair.factors)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
        }.flatMap { $0 }
        var record = StoredProposal(
            createdBy: by, program: proposal.programName, cohort: proposal.cohort,
            policyJSON: Self.programText(programPath, overrides), rosterHash: Self.fingerprint(program.files),
            status: proposal.status.rawValue, coverage: proposal.objective.coverage,
            matchedMentees: proposal.objective.matchedMentees, totalPoints: proposal.objective.totalPoints,
            minPoints: proposal.objective.minPoints, engine: proposal.engine, seconds: proposal.totalSeconds, note: note,
            pairs: zip(proposal.pairs, factorsJSON).map { pair, factors in
                .init(
                    mentorID: pair.mentorID, menteeID: pair.menteeID, points: pair.points, factorsJSON: factors, locked: pair.locked,
                    decision: pair.decision?.rawValue)
            },
            unmatched: proposal.unmatched.map { ($0.menteeID, $0.reasons) })
        record.kind = kind
        applied.proposalID = try guarded { try store.record(record) }
        return (result, applied)
    }

    /// A conflict that names a pair fixed by a decision, with who decided it and the command that lifts it.
    static func withDecision(_ conflict: String, _ binding: BindingDecisions, _ programPath: String) -> String {
        for (pair, d) in binding.inForce where d.action == .lock || d.action == .accept {
            guard conflict.contains(pair.description) else { continue }
            let reason = d.reason.isEmpty ? "" : " (\"\(d.reason)\")"
            return conflict + " — \(d.action == .lock ? "locked" : "accepted") by \(d.by) on \(d.at)\(reason); "
                + "lift it with `mentormatch review unlock \(programPath) \(pair) --reason \"…\"`"
        }
        return conflict
    }

    /// "no person 'E40' in the roster; nearest ids: E4, E41, E400" — at most five suggestions.
    static func unknownPerson(_ id: String, _ ids: [String]) -> String {
        let nearest = NearestWords.nearest(to: id, in: ids, count: 5)
        return "no person '\(id)' in the roster" + (nearest.isEmpty ? "" : "; nearest ids: " + nearest.joined(separator: ", "))
    }

    /// Records a decision on pairs in the program's cycle, after checking that they name people
    /// in the roster, that a pair fixed in can be matched, and that an unlock has something to lift.
    /// A `standing` rejection applies in every cycle; an unlock of a standing decision lifts it everywhere.
    public func decide(
        _ action: DecisionAction, pairs: [PairKey], by: String, reason: String, standing: Bool = false
    )
        throws -> (proposalID: Int64?, cycle: String)
    {
        let program = try ProgramLoader.load(path: programPath).program
        let cycle = program.cohort
        let ids = Set(program.people.map(\.id))
        var problems: [String] = []
        for p in pairs {
            for id in [p.mentorID, p.menteeID] where !ids.contains(id) {
                problems.append("\(p): " + Self.unknownPerson(id, ids.sorted()))
            }
        }
        let store = try open()
        var standingUnlock = false
        if problems.isEmpty && action == .unlock {
            let binding = try guarded { try store.binding(cycle: cycle) }
            for p in pairs {
                guard let d = binding.inForce[p] else {
                    problems.append("\(p) has no decision in force in cycle '\(cycle)'; there is nothing to unlock")
                    continue
                }
                standingUnlock = standingUnlock || d.standing
            }
        }
        if problems.isEmpty && (action == .lock || action == .accept) {
            // A pair that can never be matched cannot be fixed in.
            let instance = MatchInstance(program: program)
            for p in pairs {
                guard let m = instance.indexOfID[p.mentorID].flatMap({ instance.mentorSlot[$0] }) else {
                    problems.append("\(p): \(p.mentorID) is not an active mentor")
                    continue
                }
                guard let e = instance.indexOfID[p.menteeID].flatMap({ instance.menteeSlot[$0] }) else {
                    problems.append("\(p): \(p.menteeID) is not an active mentee")
                    continue
                }
                let why = instance.allIneligibilities(mentor: m, mentee: e)
                if !why.isEmpty { problems.append("\(p) cannot be \(action.rawValue)ed: they " + why.map(\.phrase).joined(separator: ", they ")) }
            }
        }
        if !problems.isEmpty {
            throw InputError(problems.map { .error(SourceLocation(file: programPath), $0) })
        }
        let latest = try guarded { try store.newestProposalID(cycle: cycle, kind: nil) }
        try guarded {
            try store.decide(
                action, pairs: pairs, by: by, reason: reason, proposalID: latest, cycle: cycle,
                standing: standing || (action == .unlock && standingUnlock))
        }
        return (latest, cycle)
    }

    /// Re-matches one mentee of the cycle's newest cohort: their current pair(s) are
    /// dissolved and rejected, every other pair is kept as it is, and the mentee gets
    /// the best mentor still available. A pair fixed by a decision moves only with `force`.
    public func rematch(
        _ base: Propose, menteeID: String, by: String, reason: String, force: Bool = false
    )
        throws -> (result: Propose.Result, applied: Applied, dissolved: [PairKey])
    {
        let store = try open()
        let program = try ProgramLoader.load(path: programPath).program
        let cycle = program.cohort
        guard let person = program.people.first(where: { $0.id == menteeID }) else {
            throw InputError(SourceLocation(file: programPath), Self.unknownPerson(menteeID, program.people.map(\.id).sorted()))
        }
        guard person.role != .mentor else {
            throw InputError(
                SourceLocation(file: programPath),
                "\(menteeID) is a mentor; rematch takes a mentee "
                    + "(to move a mentor's mentees, reject their pairs with `mentormatch review reject`)")
        }
        guard let latest = try guarded({ try store.newestProposal(cycle: cycle, kind: nil, withCohort: true) }) else {
            throw InputError(
                SourceLocation(file: storePath), "there is no cohort in cycle '\(cycle)' to re-match in; run `mentormatch propose` first")
        }
        guard latest.pairs.contains(where: { $0.menteeID == menteeID }) || latest.unmatched.contains(where: { $0.menteeID == menteeID }) else {
            throw InputError(
                SourceLocation(file: storePath), "\(menteeID) is not a mentee of proposal \(latest.id), the newest cohort of cycle '\(cycle)'")
        }
        let dissolved = latest.pairs.filter { $0.menteeID == menteeID }.map(\.key)
        let binding = try guarded { try store.binding(cycle: cycle) }
        let fixed = dissolved.filter { binding.locked.contains($0) || binding.accepted.contains($0) }
        if !fixed.isEmpty && !force {
            let why = fixed.map { pair in
                let d = binding.inForce[pair]!
                return "\(pair) is \(d.action == .lock ? "locked" : "accepted") (by \(d.by) on \(d.at))"
            }
            throw InputError(
                SourceLocation(file: storePath),
                why.joined(separator: "; ")
                    + "; re-matching would dissolve it — add --force to do so, or unlock it first")
        }
        if !dissolved.isEmpty {
            try guarded { try store.decide(.reject, pairs: dissolved, by: by, reason: reason, proposalID: latest.id, cycle: cycle) }
        }
        let ids = Set(program.people.map(\.id))
        // The decisions in force now: those read above, and the rejections just made.
        let rejected = binding.rejected.union(dissolved)
        let keep = Set(
            latest.pairs.filter { $0.menteeID != menteeID && ids.contains($0.mentorID) && ids.contains($0.menteeID) }
                .map(\.key)
        ).subtracting(rejected)
        let r = try propose(base, keep: keep, onlyMatch: [menteeID], note: "rematch \(menteeID)", kind: .rematch, by: by)
        return (r.result, r.applied, dissolved)
    }

    /// Remembers that `path` was written from proposal `proposalID`, so that erasure
    /// can name the file later. The path is kept absolute: the next command may run elsewhere.
    public func recordWritten(_ path: String, kind: String, proposalID: Int64, pseudonymised: Bool = false) throws {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let file = WrittenFile(
            path: (full as NSString).standardizingPath, kind: kind, proposalID: proposalID,
            pseudonymised: pseudonymised)
        try guarded { try open().recordWritten(file) }
    }

    /// Runs a store call, turning a ``StoreError`` into an ``InputError`` located at the store.
    public func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError {
            throw InputError(SourceLocation(file: e.path), e.message)
        }
    }

    /// FNV-1a over the bytes of every input file: changes when the roster does.
    static func fingerprint(_ files: ProgramFiles?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for path in files?.all ?? [] {
            // FNV-1a over the raw bytes (a Data iterator per byte cost seconds on a 100k roster).
            (FileManager.default.contents(atPath: path) ?? Data()).withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                for b in bytes {
                    h ^= UInt64(b)
                    h = h &* 0x100_0000_01b3
                }
            }
            h ^= 0xff
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }

    public static func fingerprint(program: Program) -> String { fingerprint(program.files) }

    static func programText(_ path: String, _ overrides: [ProgramOverride]) -> String {
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return overrides.isEmpty ? text : text + "\n# overrides: " + overrides.map(\.source).joined(separator: ", ") + "\n"
    }
}

extension Array where Element == Person {
    func contains(id: String) -> Bool { contains { $0.id == id } }
}

extension Review {
    /// Finalises the cycle: its newest proposal made by `propose` (or `proposalID`) becomes
    /// cohort `name` (default: the cycle's name), and its pairs join the no-repeat history.
    /// Refused when decisions were made after that proposal (they are not in it), when the
    /// roster changed since, or when the cycle is already finalised.
    public func finalize(name: String?, proposalID: Int64?, by: String) throws -> (cohort: String, pairs: Int, proposal: Int64, cycle: String) {
        let store = try open()
        let program = try ProgramLoader.load(path: programPath).program
        let cycle = program.cohort
        if let done = try guarded({ try store.finalisation(of: cycle) }) {
            throw InputError(
                SourceLocation(file: storePath), "cycle '\(cycle)' is already finalised (cohort '\(done.cohort)', on \(done.at) by \(done.by))")
        }
        let found: StoredProposal?
        if let proposalID {
            found = try guarded { try store.proposal(proposalID) }
        } else {
            found = try guarded { try store.newestProposal(cycle: cycle, kind: .propose, withCohort: true) }
        }
        guard let p = found else {
            throw InputError(
                SourceLocation(file: storePath),
                proposalID == nil
                    ? "cycle '\(cycle)' has no proposal made by propose; run `mentormatch propose` first"
                    : "there is no proposal \(proposalID!)")
        }
        guard p.cohort == cycle else {
            throw InputError(
                SourceLocation(file: storePath), "proposal \(p.id) belongs to cycle '\(p.cohort)', not to this program's cycle '\(cycle)'")
        }
        guard p.status == "optimal" || p.status == "feasible" || p.status == "time_limit", !p.pairs.isEmpty else {
            throw InputError(SourceLocation(file: storePath), "proposal \(p.id) has no pairs (status \(p.status)); nothing to finalise")
        }
        if proposalID == nil, let later = try guarded({ try store.decisions(after: p.id, cycle: cycle) }).first {
            throw InputError(
                SourceLocation(file: storePath),
                "decisions were made after proposal \(p.id) (the first: \(later.action.rawValue) \(later.pair) by \(later.by) on \(later.at)); "
                    + "run `mentormatch propose` to apply them and finalise that, or finalise proposal \(p.id) as it is with --proposal \(p.id)")
        }
        let cohortName = name ?? (cycle.isEmpty ? "proposal-\(p.id)" : cycle)
        if Self.fingerprint(program.files) != p.rosterHash {
            throw InputError(SourceLocation(file: programPath), "the roster changed since proposal \(p.id) was made; propose again before finalising")
        }
        let n = try guarded { try store.finalize(cohort: cohortName, proposalID: p.id, by: by, cycle: cycle) }
        return (cohortName, n, p.id, cycle)
    }

    /// Erases every record of `personID` and scrubs their id and roster name from free text.
    /// - Returns: the rows deleted or scrubbed, and the files written earlier that may still name the person.
    /// - Throws: ``InputError`` for an empty id, or when nothing in the store names the person.
    public func forget(personID: String, by: String, reason: String) throws -> Erasure {
        let id = personID.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else {
            throw InputError(SourceLocation(file: programPath), "give the id of the person to erase (an empty id names nobody)")
        }
        // The roster's name for the person, to scrub from free text too (when the roster still loads).
        let name = (try? ProgramLoader.load(path: programPath))?.program.people.first { $0.id == id }?.name
        let store = try open()
        let n = try guarded { try store.forget(personID: id, name: name, by: by, reason: reason) }
        guard n.rows > 0 else {
            throw InputError(
                SourceLocation(file: storePath), "no record in the store names '\(id)': nothing was erased (ids match whole and are case-sensitive)")
        }
        return n
    }
}
