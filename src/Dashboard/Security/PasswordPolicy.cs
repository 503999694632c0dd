namespace Cutover.Dashboard.Security;

/// <summary>
/// The minimum password strength. A person reads the reason, so each rule says exactly what is wrong. The rules
/// aim at what attackers try first (short, common, repeated, keyboard runs, the user name), not at composition
/// rules, which push people towards "Password1!".
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    public const int MinDistinctCharacters = 5;

    private static readonly string[] CommonWords =
    [
        "password", "passwort", "qwerty", "azerty", "letmein", "welcome", "admin", "administrator", "iloveyou",
        "changeme", "default", "secret", "monkey", "dragon", "football", "baseball", "sunshine", "princess",
        "master", "login", "cutover", "abc", "test", "root", "user", "trustno", "whatever", "starwars",
    ];

    /// <summary>Rows, and the letter rows read one after another (qwertyuiopasdf…), as people type them.</summary>
    private static readonly string[] KeyboardRows =
        ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "azertyuiop", "qwertzuiop", "qwertyuiopasdfghjklzxcvbnm", "1234567890qwertyuiop"];

    /// <summary>Null when the password is acceptable; otherwise the reason it is refused.</summary>
    public static string? Check(string? password, string? userName = null)
    {
        if (string.IsNullOrEmpty(password)) return "A password is required.";
        if (password.Length < MinLength)
            return $"The password must be at least {MinLength} characters long; it has {password.Length}.";
        if (password.Length > MaxLength) return $"The password must be at most {MaxLength} characters long.";

        var distinct = password.Distinct().Count();
        if (distinct < MinDistinctCharacters)
            return $"The password uses only {distinct} different characters; use at least {MinDistinctCharacters}.";

        var lower = password.ToLowerInvariant();
        if (!string.IsNullOrWhiteSpace(userName) && userName.Trim().Length >= 3 && lower.Contains(userName.Trim().ToLowerInvariant()))
            return "The password must not contain the user name.";
        if (RepeatedUnit(lower) is { } unit)
            return $"The password repeats the same {unit.Length}-character part; repetition does not make it stronger.";
        if (IsSequence(lower)) return "The password is a run of consecutive characters (like abcdef… or 123456…).";
        if (IsKeyboardRun(lower)) return "The password is a run of neighbouring keys (like qwerty… or 123456…).";
        if (IsCommonWordVariant(lower))
            return "The password is a common password with digits or symbols added; such variants are guessed first.";
        return null;
    }

    /// <summary>The shortest unit the whole password repeats (e.g. "abc123" in "abc123abc123"), or null.</summary>
    private static string? RepeatedUnit(string s)
    {
        for (var n = 1; n <= s.Length / 2; n++)
        {
            if (s.Length % n != 0) continue;
            var unit = s[..n];
            var repeated = true;
            for (var i = n; i < s.Length && repeated; i += n) repeated = string.CompareOrdinal(s, i, unit, 0, n) == 0;
            if (repeated) return unit;
        }

        return null;
    }

    private static bool IsSequence(string s)
    {
        var up = true;
        var down = true;
        for (var i = 1; i < s.Length; i++)
        {
            up &= s[i] == s[i - 1] + 1 || (s[i - 1] == '9' && s[i] == '0');
            down &= s[i] == s[i - 1] - 1 || (s[i - 1] == '0' && s[i] == '9');
        }

        return up || down;
    }

    /// <summary>The whole password walks along one keyboard row (wrapping around), forwards or backwards.</summary>
    private static bool IsKeyboardRun(string s)
    {
        foreach (var row in KeyboardRows)
        {
            var ring = row + row + row + row;
            var reversed = new string(ring.Reverse().ToArray());
            if (ring.Contains(s, StringComparison.Ordinal) || reversed.Contains(s, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>
    /// After undoing common letter substitutions and dropping digits and symbols, only common words remain
    /// (e.g. "P@ssw0rd2024!", "Welcome123456", "adminadmin!!").
    /// </summary>
    private static bool IsCommonWordVariant(string lower)
    {
        // Digits and symbols around the word are decoration; inside it they stand for letters (p@ssw0rd).
        var core = lower.Trim().TrimStart(NotLetters(lower)).TrimEnd(NotLetters(lower));
        var letters = new string(core.Select(Unleet).Where(char.IsLetter).ToArray());
        if (letters.Length == 0) return false;
        while (letters.Length > 0)
        {
            var word = CommonWords.FirstOrDefault(w => letters.StartsWith(w, StringComparison.Ordinal));
            if (word is null) return false;
            letters = letters[word.Length..];
        }

        return true;
    }

    private static char[] NotLetters(string s) => s.Where(c => !char.IsLetter(c)).Distinct().ToArray();

    private static char Unleet(char c) => c switch
    {
        '0' => 'o',
        '1' or '!' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' => 't',
        _ => c,
    };

}
