"""Template context for the shell: the current organisation and the ones a user may open."""


def shell(request):
    access = getattr(request, "access", None)
    return {"access": access, "org": access.organisation if access else None}
