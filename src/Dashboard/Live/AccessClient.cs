using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Dashboard.Security;

namespace Cutover.Dashboard.Live;

/// <summary>The admin pages' seam over the token and user stores (the same ones the API's endpoints use).</summary>
public sealed class AccessClient(ApiTokens tokens, UserAccounts users) : IAccessClient
{
    public Task<IReadOnlyList<TokenSummary>> GetTokensAsync(CancellationToken cancellationToken) => tokens.ListAsync(cancellationToken);

    public Task<Outcome<CreatedToken>> CreateTokenAsync(NewToken request, string actor, CancellationToken cancellationToken) =>
        tokens.CreateAsync(request, actor, cancellationToken);

    public Task<Outcome<TokenSummary>> RevokeTokenAsync(Guid tokenId, string actor, CancellationToken cancellationToken) =>
        tokens.RevokeAsync(tokenId, actor, cancellationToken);

    public Task<IReadOnlyList<UserSummary>> GetUsersAsync(CancellationToken cancellationToken) => users.ListAsync(cancellationToken);

    public Task<Outcome<UserSummary>> CreateUserAsync(string? userName, string? password, Role role, string actor,
        CancellationToken cancellationToken) =>
        users.CreateAsync(userName, password, role, actor, cancellationToken);

    public Task<Outcome<UserSummary>> DeleteUserAsync(Guid userId, string actor, CancellationToken cancellationToken) =>
        users.DeleteAsync(userId, actor, cancellationToken);
}
