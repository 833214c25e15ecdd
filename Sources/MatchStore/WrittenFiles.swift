import GRDB

/// Files written from the store's proposals (reports, exports, proposal files).
///
/// They leave the store, so erasure cannot reach them; the store remembers
/// where they went, so that `forget` can name every file that may still hold
/// the person.
public struct WrittenFile: Sendable, Equatable {
    public var path: String
    /// "report", "export" or "proposal output".
    public var kind: String
    public var proposalID: Int64
    public var writtenAt: String
    public var pseudonymised: Bool

    public init(path: String, kind: String, proposalID: Int64, writtenAt: String = "", pseudonymised: Bool = false) {
        self.path = path
        self.kind = kind
        self.proposalID = proposalID
        self.writtenAt = writtenAt
        self.pseudonymised = pseudonymised
    }
}

/// What an erasure did, and the files outside the store it could not reach.
public struct Erasure: Sendable {
    /// Rows deleted or scrubbed.
    public var rows: Int
    /// Files written earlier from proposals that named the person.
    public var writtenFiles: [WrittenFile]
}

extension ProgramStore {
    static func registerWrittenFiles(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3: written files (for erasure)") { db in
            try db.execute(
                sql: """
                    CREATE TABLE writtenFile (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      proposalId INTEGER NOT NULL,
                      kind TEXT NOT NULL,
                      path TEXT NOT NULL,
                      writtenAt TEXT NOT NULL,
                      pseudonymised INTEGER NOT NULL CHECK (pseudonymised IN (0, 1))
                    );
                    CREATE INDEX writtenFileProposal ON writtenFile(proposalId);
                    """)
        }
    }

    /// Records that `file` was written from one of the store's proposals.
    public func recordWritten(_ file: WrittenFile) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO writtenFile (proposalId, kind, path, writtenAt, pseudonymised) VALUES (?, ?, ?, ?, ?)",
                arguments: [file.proposalID, file.kind, file.path, Self.now(), file.pseudonymised ? 1 : 0])
        }
    }

    /// Files written from proposals that name `personID` (as mentor, mentee or unmatched mentee), newest first.
    public func writtenFiles(naming personID: String) throws -> [WrittenFile] {
        try read { db in try Self.writtenFiles(naming: personID, db) }
    }

    static func writtenFiles(naming personID: String, _ db: Database) throws -> [WrittenFile] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM writtenFile WHERE proposalId IN (
                  SELECT proposalId FROM proposalPair WHERE mentorId = ?1 OR menteeId = ?1
                  UNION SELECT proposalId FROM proposalUnmatched WHERE menteeId = ?1)
                ORDER BY id DESC
                """, arguments: [personID]
        ).map {
            WrittenFile(
                path: $0["path"], kind: $0["kind"], proposalID: $0["proposalId"], writtenAt: $0["writtenAt"],
                pseudonymised: ($0["pseudonymised"] as Int) == 1)
        }
    }
}
