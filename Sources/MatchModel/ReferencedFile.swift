/// A file that a program or what-if file names, resolved against that file's folder.
///
/// Program and what-if files travel: an owner may run one written by someone
/// else. So a reference may only reach down from the folder of the file that
/// makes it — never an absolute path, never above with `..` — and a file that
/// cannot be read is named, never quoted. A file kept elsewhere is linked into
/// the folder by the person running the program, which is their decision to make.
public enum ReferencedFile {
    /// The path to open, or the located reason it may not be opened.
    public static func resolve(
        _ reference: String, from referringFile: String, what: String,
        at location: SourceLocation
    ) -> Result<String, InputError> {
        func refuse(_ why: String) -> Result<String, InputError> {
            .failure(
                InputError(
                    location, "\(what) '\(reference)' \(why); name a file in the folder of \(referringFile) or below it (copy or link the file there)"
                ))
        }
        if reference.isEmpty { return .failure(InputError(location, "\(what) is empty; name a file, e.g. roster.csv")) }
        if reference.unicodeScalars.contains(where: { $0.value < 0x20 }) { return refuse("holds control characters") }
        if reference.hasPrefix("/") || reference.hasPrefix("~") || reference.hasPrefix("\\") {
            return refuse("is an absolute path")
        }
        var depth = 0
        for part in reference.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { return refuse("reaches outside the folder") }
            default: depth += 1
            }
        }
        if depth == 0 { return refuse("names a folder, not a file") }
        let folder = parentFolder(of: referringFile)
        return .success(folder.isEmpty ? reference : folder + "/" + reference)
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
