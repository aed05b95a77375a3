# verilate() (Verilator's CMake package) runs Verilator once at configure time, for each model, one after
# another, to learn which C++ files it writes: about 140 s for rtl/'s 29 models on one core, while the
# other cores wait. vp_verilate() takes verilate()'s arguments and only records the call;
# vp_verilate_recorded() then runs Verilator for every recorded model whose command is new or changed, as
# many at a time as the machine has cores (at most 4: Verilator takes about 1 GB for a kernel model),
# leaves the files verilate() looks for as verilate() itself would (its arguments file and the copy of the
# generated file list), and calls verilate() for each, which finds them current and runs no Verilator of
# its own. The command is built exactly as verilate() of Verilator 5.006 builds it
# (/usr/share/verilator/verilator-config.cmake); should the two ever differ, verilate() sees a changed
# command and runs Verilator again itself (slower, never wrong), and a configure warning says so.
# Only the verilate() options rtl/ uses are supported (PREFIX, TOP_MODULE, TRACE, INCLUDE_DIRS, SOURCES,
# VERILATOR_ARGS, OPT_SLOW, OPT_FAST); another one is refused, since its command would differ.

function(vp_verilate target)
  cmake_parse_arguments(V "TRACE" "PREFIX;TOP_MODULE" "SOURCES;VERILATOR_ARGS;INCLUDE_DIRS;OPT_SLOW;OPT_FAST" ${ARGN})
  if(V_UNPARSED_ARGUMENTS OR NOT V_PREFIX OR NOT V_TOP_MODULE OR NOT V_SOURCES)
    message(FATAL_ERROR "vp_verilate(${target} ${ARGN}): needs PREFIX, TOP_MODULE and SOURCES, "
                        "and takes only TRACE, INCLUDE_DIRS, VERILATOR_ARGS, OPT_SLOW and OPT_FAST besides")
  endif()
  get_property(count GLOBAL PROPERTY VP_VERILATE_CALLS)
  if(NOT count)
    set(count 0)
  endif()
  set_property(GLOBAL PROPERTY VP_VERILATE_CALL_${count} "${target};${ARGN}")
  math(EXPR count "${count} + 1")
  set_property(GLOBAL PROPERTY VP_VERILATE_CALLS ${count})
endfunction()

# verilate()'s command for one recorded call (a list) into `out`, its output directory into `out_dir`,
# its PREFIX into `out_prefix`.
function(vp_verilator_command out out_dir out_prefix target)
  cmake_parse_arguments(V "TRACE" "PREFIX;TOP_MODULE" "SOURCES;VERILATOR_ARGS;INCLUDE_DIRS;OPT_SLOW;OPT_FAST" ${ARGN})
  set(args ${VERILATOR_ARGS} --top ${V_TOP_MODULE})  # verilate() appends to a VERILATOR_ARGS of its caller
  if(V_TRACE)
    list(APPEND args --trace)
  endif()
  list(APPEND args --cc)
  foreach(dir ${V_INCLUDE_DIRS})
    list(APPEND args -y "${dir}")
  endforeach()
  string(TOLOWER ${CMAKE_CXX_COMPILER_ID} compiler)
  if(NOT compiler MATCHES "^msvc$|^clang$")
    set(compiler gcc)
  endif()
  get_target_property(binary_dir ${target} BINARY_DIR)
  get_target_property(target_name ${target} NAME)
  set(dir "${binary_dir}/CMakeFiles/${target_name}.dir/${V_PREFIX}.dir")
  set(${out} "${VERILATOR_BIN}" --compiler ${compiler} --prefix ${V_PREFIX} --Mdir ${dir} --make cmake
             ${args} ${V_VERILATOR_ARGS} ${V_SOURCES} PARENT_SCOPE)
  set(${out_dir} "${dir}" PARENT_SCOPE)
  set(${out_prefix} ${V_PREFIX} PARENT_SCOPE)
endfunction()

function(vp_verilate_recorded)
  get_property(count GLOBAL PROPERTY VP_VERILATE_CALLS)
  if(NOT count)
    return()
  endif()
  math(EXPR last "${count} - 1")
  set(jobs_dir "${CMAKE_CURRENT_BINARY_DIR}/verilate_jobs")
  file(REMOVE_RECURSE "${jobs_dir}")
  file(MAKE_DIRECTORY "${jobs_dir}")
  set(jobs "")
  foreach(i RANGE ${last})
    get_property(call GLOBAL PROPERTY VP_VERILATE_CALL_${i})
    vp_verilator_command(command dir prefix ${call})
    set(args_file "${dir}/verilator_args.txt")
    set(list_copy "${dir}/${prefix}_copy.cmake")
    set(outdated ON)
    if(EXISTS "${args_file}" AND EXISTS "${list_copy}")
      file(READ "${args_file}" previous)
      if(command STREQUAL previous)
        set(outdated OFF)
      endif()
    endif()
    if(outdated)
      file(MAKE_DIRECTORY "${dir}")
      # One shell script per model: the command, its output into a log, its status into a file.
      set(script "${jobs_dir}/${prefix}.sh")
      set(quoted "")
      foreach(word ${command})
        string(REPLACE "'" "'\\''" word "${word}")
        string(APPEND quoted " '${word}'")
      endforeach()
      file(WRITE "${script}" "cd '${CMAKE_CURRENT_SOURCE_DIR}' && ${quoted} > '${jobs_dir}/${prefix}.log' 2>&1\n"
                             "echo $? > '${jobs_dir}/${prefix}.status'\n")
      list(APPEND jobs "${prefix}")
      set_property(GLOBAL PROPERTY VP_VERILATE_JOB_${prefix} "${dir};${command}")
    endif()
  endforeach()

  if(jobs)
    include(ProcessorCount)
    ProcessorCount(cores)
    if(cores LESS 1)
      set(cores 1)
    elseif(cores GREATER 4)
      set(cores 4)
    endif()
    list(LENGTH jobs job_count)
    message(STATUS "Executing Verilator for ${job_count} models, ${cores} at a time...")
    list(TRANSFORM jobs APPEND ".sh" OUTPUT_VARIABLE scripts)
    string(REPLACE ";" "\n" script_list "${scripts}")
    file(WRITE "${jobs_dir}/scripts.txt" "${script_list}\n")
    execute_process(COMMAND xargs -P ${cores} -n 1 sh INPUT_FILE "${jobs_dir}/scripts.txt"
                    WORKING_DIRECTORY "${jobs_dir}")
    foreach(prefix ${jobs})
      get_property(job GLOBAL PROPERTY VP_VERILATE_JOB_${prefix})
      list(POP_FRONT job dir)
      set(status 1)
      if(EXISTS "${jobs_dir}/${prefix}.status")
        file(STRINGS "${jobs_dir}/${prefix}.status" status LIMIT_COUNT 1)
      endif()
      if(NOT status STREQUAL "0")
        file(READ "${jobs_dir}/${prefix}.log" output)
        string(REPLACE ";" " " readable "${job}")
        message("Verilator command: \"${readable}\"")
        message("Output:\n${output}")
        message(FATAL_ERROR "Verilator command failed for ${prefix} (exit status ${status})")
      endif()
      # What verilate() leaves after running Verilator: the copy of the file list, the arguments file.
      execute_process(COMMAND "${CMAKE_COMMAND}" -E copy "${dir}/${prefix}.cmake" "${dir}/${prefix}_copy.cmake")
      file(WRITE "${dir}/verilator_args.txt" "${job}")
    endforeach()
  endif()

  foreach(i RANGE ${last})
    get_property(call GLOBAL PROPERTY VP_VERILATE_CALL_${i})
    verilate(${call})
    # verilate() wrote its own command into the arguments file: a different one means it ran Verilator again.
    vp_verilator_command(command dir prefix ${call})
    file(READ "${dir}/verilator_args.txt" used)
    if(NOT used STREQUAL command)
      message(WARNING "verilate() builds ${prefix}'s Verilator command unlike vp_verilator_command() "
                      "(rtl/verilate_in_parallel.cmake), so it ran Verilator again, alone: update that function")
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY VP_VERILATE_CALLS 0)
endfunction()
