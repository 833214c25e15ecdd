import Foundation
import GLPKEngine
import MatchModel
import Optimization

/// Writes files whole or not at all: into a temporary file beside the target,
/// then renamed over it — and only where `policy` allows.
public enum OutputFile {
    public static func write(_ data: Data, to path: String, policy: OutputPolicy) throws {
        try policy.check(path)
        let url = URL(fileURLWithPath: path)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw InputError(SourceLocation(file: path), "cannot write the file: \(error.localizedDescription)")
        }
    }

    /// Writes several files into `directory` (created if needed), none unless `policy`
    /// allows every one (all refusals are reported together).
    /// - Returns: the paths written.
    @discardableResult
    public static func writeAll(_ files: [(name: String, text: String)], into directory: String, policy: OutputPolicy) throws -> [String] {
        let paths = files.map { (directory as NSString).appendingPathComponent($0.name) }
        var refused: [Diagnostic] = []
        for path in paths {
            do { try policy.check(path) } catch let e as InputError { refused += e.diagnostics }
        }
        if !refused.isEmpty { throw InputError(refused) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(SourceLocation(file: directory), "cannot create the folder: \(error.localizedDescription)")
        }
        for (path, file) in zip(paths, files) { try write(Data(file.text.utf8), to: path, policy: policy) }
        return paths
    }

    /// Writes `program` in the format its extension names (`.mps` or `.lp`).
    public static func writeModel(_ program: IntegerProgram, to path: String, policy: OutputPolicy) throws {
        guard let format = ModelFileFormat(path: path) else {
            throw InputError(SourceLocation(file: path), "the model file must end in .mps (free MPS) or .lp (CPLEX LP)")
        }
        try policy.check(path)
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        do {
            try GLPKEngine().write(program, to: temp, format: format)
            if format == .mps {
                // Free MPS has no portable objective sense (GLPK's reader rejects OBJSENSE): say it in a comment.
                let body = FileManager.default.contents(atPath: temp) ?? Data()
                var data = Data("* Objective sense: MAXIMIZE (free MPS carries no sense; solve as a maximisation)\n".utf8)
                data.append(body)
                try data.write(to: URL(fileURLWithPath: temp))
            }
            guard rename(temp, path) == 0 else {
                throw InputError(SourceLocation(file: path), "cannot move the model into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw InputError(SourceLocation(file: path), "cannot write the model: \(error)")
        }
    }
}

extension OutputFile {
    /// Whether a path names a model format `--write-model` can write.
    public static func isModelPath(_ path: String) -> Bool { ModelFileFormat(path: path) != nil }
}
