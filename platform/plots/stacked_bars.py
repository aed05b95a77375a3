"""What the stacked-bar figures (energy per run, cycles per phase per token) share: how a finished
stack of bars is titled, gridded and given its legend."""


def finish(fig, ax, title: str):
    """Titles the axes, draws horizontal grid lines and puts the legend beside the bars, reading like
    the stack (top first); returns the laid-out figure."""
    ax.set_title(title, fontsize=10)
    ax.grid(True, axis="y", lw=0.3, alpha=0.5)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig
