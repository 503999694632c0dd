using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Dashboard.Security;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The admin pages' seam (tokens and users), a sibling of <see cref="IDashboardClient"/>: components inject this,
/// never the stores. Callers authorize first (<see cref="ActionGuard"/>) and pass who acts.
/// </summary>
public interface IAccessClient
{
    Task<IReadOnlyList<TokenSummary>> GetTokensAsync(CancellationToken cancellationToken);

    Task<Outcome<CreatedToken>> CreateTokenAsync(NewToken request, string actor, CancellationToken cancellationToken);

    Task<Outcome<TokenSummary>> RevokeTokenAsync(Guid tokenId, string actor, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserSummary>> GetUsersAsync(CancellationToken cancellationToken);

    Task<Outcome<UserSummary>> CreateUserAsync(string? userName, string? password, Role role, string actor, CancellationToken cancellationToken);

    Task<Outcome<UserSummary>> DeleteUserAsync(Guid userId, string actor, CancellationToken cancellationToken);
}
