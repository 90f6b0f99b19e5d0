using System.Diagnostics.CodeAnalysis;

namespace TokenFunction.Problems;

/// <summary>Either a value or the problem that stopped it: refusals are expected results, not exceptions.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, ApiProblem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ApiProblem? Problem { get; }

    [MemberNotNullWhen(false, nameof(Problem))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiProblem problem) => new(default, problem);
}
