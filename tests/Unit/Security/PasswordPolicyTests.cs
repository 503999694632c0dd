using Cutover.Dashboard.Security;

namespace Cutover.Tests.Unit.Security;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Tr0ub4dor&3-rampart")]
    [InlineData("7f$Kq!2mZx@9")]
    [InlineData("849302716455")]
    public void Check_StrongEnough_Null(string password) => Assert.Null(PasswordPolicy.Check(password, "alice"));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("Ab1!", "at least 12 characters long; it has 4")]
    [InlineData("zzzzzzzzzzzzzzzz", "only 1 different")]
    [InlineData("9876543210987", "consecutive")]
    [InlineData("asdfghjklzxcv", "neighbouring keys")]
    [InlineData("!!Passw0rd!!2025", "common password")]
    [InlineData("adminadmin!!!!", "common password")]
    [InlineData("alice-the-great-1", "user name")]
    public void Check_Weak_SaysWhy(string? password, string reason) =>
        Assert.Contains(reason, PasswordPolicy.Check(password, "alice"));
}
