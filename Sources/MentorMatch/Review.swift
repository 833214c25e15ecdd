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
        public var locked = 0, accepted = 0, rejected = 0
        /// Decisions not applied, and why (stale: a person left the roster).
        public var stale: [String] = []
        public var historyPairs = 0
        public var proposalID: Int64?
    }

    /// The default reviewer: the OS user (the CLI's `--by` or the login's `USER` come first).
    public static var currentUser: String { NSUserName() }

    /// Proposes with the decisions in force, records the run, and returns both.
    public func propose(_ base: Propose, overrides: [ProgramOverride] = [], extraLocks: Set<PairKey> = [],
                        extraRejects: Set<PairKey> = [], onlyMatch: Set<String>? = nil, note: String = "",
                        by: String = Review.currentUser)
    throws -> (result: Propose.Result, applied: Applied) {
        let store = try open()
        let loaded = try ProgramLoader.load(path: programPath, overrides: overrides)
        var program = loaded.program
        var applied = Applied()
        let storeHistory = try guarded { try store.history() }
        let known = Set(program.people.map(\.id))
        program.history += storeHistory.filter { known.contains($0.mentorID) && known.contains($0.menteeID) }
        applied.historyPairs = storeHistory.count
        let binding = try guarded { try store.binding() }
        let ids = Set(program.people.map(\.id))
        func live(_ set: Set<PairKey>, _ what: String) -> Set<PairKey> {
            set.filter { p in
                let missing = [p.mentorID, p.menteeID].filter { !ids.contains($0) }
                if !missing.isEmpty {
                    applied.stale.append("\(what) \(p) is not applied: \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") no longer in the roster")
                    return false
                }
                return true
            }
        }
        let locked = live(binding.locked, "lock"), accepted = live(binding.accepted, "accept"), rejected = live(binding.rejected, "reject")
        applied.locked = locked.count
        applied.accepted = accepted.count
        applied.rejected = rejected.count
        var p = base
        p.decisions = ReviewDecisions(locked: locked.union(accepted).union(extraLocks).subtracting(extraRejects),
                                      rejected: rejected.union(extraRejects), onlyMatch: onlyMatch)
        var result = try p.run(program: program)
        result.warnings = loaded.warnings
        let proposal = result.proposal
        // Each pair's factors as JSON, on every core (49 k pairs at 100k × 25k).
        let factorsJSON = parallelChunks(proposal.pairs, chunk: 4_096) { pairs -> [String] in
            let encoder = JSONEncoder()
            return pairs.map { pair in (try? encoder.encode(pair.factors)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
        }.flatMap { $0 }
        let record = StoredProposal(
            createdBy: by, program: proposal.programName, cohort: proposal.cohort,
            policyJSON: Self.programText(programPath, overrides), rosterHash: Self.fingerprint(program.files),
            status: proposal.status.rawValue, coverage: proposal.objective.coverage,
            matchedMentees: proposal.objective.matchedMentees, totalPoints: proposal.objective.totalPoints,
            minPoints: proposal.objective.minPoints, engine: proposal.engine, seconds: proposal.totalSeconds, note: note,
            pairs: zip(proposal.pairs, factorsJSON).map { pair, factors in
                .init(mentorID: pair.mentorID, menteeID: pair.menteeID, points: pair.points, factorsJSON: factors, locked: pair.locked)
            },
            unmatched: proposal.unmatched.map { ($0.menteeID, $0.reasons) })
        applied.proposalID = try guarded { try store.record(record) }
        return (result, applied)
    }

    /// Records a decision on pairs, after checking they name people in the roster.
    public func decide(_ action: DecisionAction, pairs: [PairKey], by: String, reason: String) throws -> Int64? {
        let program = try ProgramLoader.load(path: programPath).program
        let ids = Set(program.people.map(\.id))
        var problems: [String] = []
        for p in pairs {
            for id in [p.mentorID, p.menteeID] where !ids.contains(id) {
                problems.append("\(p): '\(id)' is not in the roster" + DidYouMean.phrase(for: id, in: Array(ids.prefix(5_000))))
            }
        }
        if problems.isEmpty && (action == .lock || action == .accept) {
            // A pair that can never be matched cannot be fixed in.
            let instance = MatchInstance(program: program)
            for p in pairs {
                guard let m = instance.indexOfID[p.mentorID].flatMap({ instance.mentorSlot[$0] }) else {
                    problems.append("\(p): \(p.mentorID) is not an active mentor"); continue
                }
                guard let e = instance.indexOfID[p.menteeID].flatMap({ instance.menteeSlot[$0] }) else {
                    problems.append("\(p): \(p.menteeID) is not an active mentee"); continue
                }
                let why = instance.allIneligibilities(mentor: m, mentee: e)
                if !why.isEmpty { problems.append("\(p) cannot be \(action.rawValue)ed: they " + why.map(\.phrase).joined(separator: ", they ")) }
            }
        }
        if !problems.isEmpty {
            throw InputError(problems.map { .error(SourceLocation(file: programPath), $0) })
        }
        let store = try open()
        let latest = try guarded { try store.proposal() }
        try guarded { try store.decide(action, pairs: pairs, by: by, reason: reason, proposalID: latest?.id) }
        return latest?.id
    }

    /// Re-matches one mentee: their current pair(s) are dissolved and rejected,
    /// every other pair of the latest proposal is kept as it is, and the mentee
    /// gets the best mentor still available.
    public func rematch(_ base: Propose, menteeID: String, by: String, reason: String)
    throws -> (result: Propose.Result, applied: Applied, dissolved: [PairKey]) {
        let store = try open()
        guard let latest = try guarded({ try store.proposal(withCohort: true) }) else {
            throw InputError(SourceLocation(file: storePath), "there is no cohort to re-match in; run `mentormatch propose` first")
        }
        let program = try ProgramLoader.load(path: programPath).program
        guard program.people.contains(id: menteeID) else {
            throw InputError(SourceLocation(file: programPath), "'\(menteeID)' is not in the roster")
        }
        let dissolved = latest.pairs.filter { $0.menteeID == menteeID }.map(\.key)
        if !dissolved.isEmpty {
            try guarded { try store.decide(.reject, pairs: dissolved, by: by, reason: reason, proposalID: latest.id) }
        }
        let ids = Set(program.people.map(\.id))
        let rejected = try guarded { try store.binding().rejected }
        let keep = Set(latest.pairs.filter { $0.menteeID != menteeID && ids.contains($0.mentorID) && ids.contains($0.menteeID) }
            .map(\.key)).subtracting(rejected)
        let r = try propose(base, extraLocks: keep, onlyMatch: [menteeID], note: "rematch \(menteeID)", by: by)
        return (r.result, r.applied, dissolved)
    }

    /// Remembers that `path` was written from proposal `proposalID`, so that erasure
    /// can name the file later. The path is kept absolute: the next command may run elsewhere.
    public func recordWritten(_ path: String, kind: String, proposalID: Int64, pseudonymised: Bool = false) throws {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let file = WrittenFile(path: (full as NSString).standardizingPath, kind: kind, proposalID: proposalID,
                               pseudonymised: pseudonymised)
        try guarded { try open().recordWritten(file) }
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
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
    /// Finalises a proposal (the newest when `proposalID` is nil) as cohort `name`.
    public func finalize(name: String?, proposalID: Int64?, by: String) throws -> (cohort: String, pairs: Int, proposal: Int64) {
        let store = try open()
        guard let p = try guarded({ try store.proposal(proposalID, withCohort: proposalID == nil) }) else {
            throw InputError(SourceLocation(file: storePath), proposalID == nil ? "there is no proposal to finalise; run `mentormatch propose` first"
                                                                                 : "there is no proposal \(proposalID!)")
        }
        guard p.status == "optimal" || p.status == "feasible" || p.status == "time_limit", !p.pairs.isEmpty else {
            throw InputError(SourceLocation(file: storePath), "proposal \(p.id) has no pairs (status \(p.status)); nothing to finalise")
        }
        let program = try ProgramLoader.load(path: programPath).program
        let cohortName = name ?? (p.cohort.isEmpty ? "proposal-\(p.id)" : p.cohort)
        if Self.fingerprint(program.files) != p.rosterHash {
            throw InputError(SourceLocation(file: programPath), "the roster changed since proposal \(p.id) was made; propose again before finalising")
        }
        let n = try guarded { try store.finalize(cohort: cohortName, proposalID: p.id, by: by) }
        return (cohortName, n, p.id)
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
            throw InputError(SourceLocation(file: storePath), "no record in the store names '\(id)': nothing was erased (ids match whole and are case-sensitive)")
        }
        return n
    }
}
