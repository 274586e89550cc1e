using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// An EF Core compiled query per model. A compiled query binds to the model (and so the provider)
/// it first runs on and throws on any other; one process can hold several (the tests run SQLite and
/// PostgreSQL gateways side by side), so each model gets its own, compiled once.
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) =>
        _byModel.TryGetValue(db.Model, out var query) ? query : _byModel.GetValue(db.Model, _ => compile());
}
