import Foundation
import MatchModel
import MatchStore

/// Where a command may write its output.
///
/// Never over the program's own files — the program file, the roster and side
/// files it names, a what-if file, the store and SQLite's companions of it — and
/// over any other existing file only when the person asked for it (`--force`).
/// Files are compared by identity (device and inode), so another spelling of the
/// same path, or a hard or symbolic link to it, is caught too.
public struct OutputPolicy: Sendable {
    /// Files no output may replace.
    public var protectedFiles: [String]
    /// Whether an existing file that is not protected may be replaced.
    public var overwrite: Bool

    public init(protectedFiles: [String] = [], overwrite: Bool = false) {
        self.protectedFiles = protectedFiles
        self.overwrite = overwrite
    }

    /// The policy for a command on a program: its files and its store are protected.
    public static func forProgram(
        _ programPath: String, storePath: String? = nil, alsoProtecting extra: [String] = [],
        overwrite: Bool
    ) -> OutputPolicy {
        let store = storePath ?? ProgramStore.defaultPath(forProgram: programPath)
        var files = [programPath] + referencedFiles(of: programPath) + extra
        files += [store, store + "-wal", store + "-shm", store + "-journal"]
        return OutputPolicy(protectedFiles: files, overwrite: overwrite)
    }

    /// The files a program file names, read leniently: a program that does not
    /// load is still protected as far as it can be read.
    static func referencedFiles(of programPath: String) -> [String] {
        guard let file = ProgramFile.lenient(path: programPath) else { return [] }
        return [file.roster, file.preferences, file.exclusions, file.history, file.org, file.scores].compactMap { ref in
            guard let ref else { return nil }
            return try? ReferencedFile.resolve(ref.path, from: programPath, what: "file", at: ref.location).get()
        }
    }

    /// Throws a located ``InputError`` when `path` may not be written.
    public func check(_ path: String) throws {
        if let hit = protectedFiles.first(where: { Self.sameFile($0, path) }) {
            let what = hit == path ? "" : " (it is \(hit))"
            throw InputError(SourceLocation(file: path), "will not write over one of the program's own files\(what); choose another output file")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue {
                throw InputError(SourceLocation(file: path), "is a folder; name a file to write")
            }
            if !overwrite {
                throw InputError(SourceLocation(file: path), "already exists; add --force to replace it, or choose another file")
            }
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        if absolute(a) == absolute(b) { return true }
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }
}
