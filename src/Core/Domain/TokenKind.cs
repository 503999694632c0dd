namespace Cutover.Core.Domain;

public enum TokenKind
{
    Personal,
    Agent,
}
