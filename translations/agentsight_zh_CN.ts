<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- SPDX-License-Identifier: GPL-2.0-or-later -->
<TS version="2.1" language="zh_CN">
<context>
    <name>agentsight::models::ConversationModel</name>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="52"/>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="57"/>
        <source>%1 in / %2 out tokens</source>
        <translation>输入 %1 / 输出 %2 个 token</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="58"/>
        <location filename="../app/core/models/conversation_model.cpp" line="59"/>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="60"/>
        <source>cost unknown</source>
        <translation>费用未知</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="62"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="64"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/core/models/conversation_model.cpp" line="66"/>
        <source>%n tool call(s)</source>
        <translation>
            <numerusform>%n 个工具调用</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="73"/>
        <source>System</source>
        <translation>系统提示</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="82"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/core/models/conversation_model.cpp" line="82"/>
        <source>%n earlier message(s) repeated in this request</source>
        <translation>
            <numerusform>本次请求重复了之前的 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="92"/>
        <source>Tool result (error) %1</source>
        <translation>工具结果（出错）%1</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="92"/>
        <source>Tool result %1</source>
        <translation>工具结果 %1</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="96"/>
        <source>%1: tool call %2</source>
        <translation>%1：工具调用 %2</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="100"/>
        <source>%1: thinking</source>
        <translation>%1：思考</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="108"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="110"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="115"/>
        <source>Tool call %1</source>
        <translation>工具调用 %1</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="118"/>
        <source>API error</source>
        <translation>API 错误</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="120"/>
        <source>Decode error</source>
        <translation>解码错误</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="122"/>
        <source>Not shown</source>
        <translation>未显示</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="123"/>
        <source>%1 fields cut, %2 items dropped by the decoder&apos;s limits</source>
        <translation>受解码器限制：截断 %1 个字段，丢弃 %2 项</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="197"/>
        <source>Exchange / part</source>
        <translation>交互 / 部分</translation>
    </message>
    <message>
        <location filename="../app/core/models/conversation_model.cpp" line="197"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>agentsight::models::EventTableModel</name>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="57"/>
        <source> [truncated by the collector]</source>
        <translation> [已被采集器截断]</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="82"/>
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="83"/>
        <source>PID</source>
        <translation>进程号</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="84"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="85"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="86"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../app/core/models/event_table_model.cpp" line="87"/>
        <source>Seq</source>
        <translation>序号</translation>
    </message>
</context>
<context>
    <name>agentsight::models::ProcessTreeModel</name>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="80"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="121"/>
        <source>Agent / process</source>
        <translation>智能体 / 进程</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="122"/>
        <source>PID</source>
        <translation>进程号</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="123"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="124"/>
        <source>Directory</source>
        <translation>目录</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="125"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="126"/>
        <source>LLM calls</source>
        <translation>LLM 调用</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="127"/>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="128"/>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="129"/>
        <source>Files written</source>
        <translation>写入文件</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="130"/>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="162"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="162"/>
        <location filename="../app/core/models/process_tree_model.cpp" line="181"/>
        <source>live</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="168"/>
        <source>agent %1</source>
        <translation>智能体 %1</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="178"/>
        <source>(not seen starting)</source>
        <translation>（未观察到启动）</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="183"/>
        <source>killed by signal %1</source>
        <translation>被信号 %1 终止</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="185"/>
        <source>gone (pid reused)</source>
        <translation>已消失（进程号被复用）</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="187"/>
        <source>exited %1</source>
        <translation>已退出 %1</translation>
    </message>
    <message>
        <location filename="../app/core/models/process_tree_model.cpp" line="189"/>
        <source>Other processes</source>
        <translation>其他进程</translation>
    </message>
</context>
<context>
    <name>agentsight::models::TimelineModel</name>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="60"/>
        <source>LLM calls</source>
        <translation>LLM 调用</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="61"/>
        <source>Tool calls</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="62"/>
        <source>Processes</source>
        <translation>进程</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="63"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="64"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="88"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="101"/>
        <source>Lane</source>
        <translation>泳道</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="102"/>
        <source>Start (s)</source>
        <translation>开始（秒）</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="103"/>
        <source>End (s)</source>
        <translation>结束（秒）</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="104"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../app/core/models/timeline_model.cpp" line="222"/>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::ConversationView</name>
    <message>
        <location filename="../app/ui/conversation_view.cpp" line="44"/>
        <source>Selected part</source>
        <translation>选中部分</translation>
    </message>
    <message>
        <location filename="../app/ui/conversation_view.cpp" line="45"/>
        <source>Raw request</source>
        <translation>原始请求</translation>
    </message>
    <message>
        <location filename="../app/ui/conversation_view.cpp" line="46"/>
        <source>Raw response</source>
        <translation>原始响应</translation>
    </message>
    <message>
        <location filename="../app/ui/conversation_view.cpp" line="108"/>
        <source>(no response captured)</source>
        <translation>（未捕获到响应）</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::DemoRunner</name>
    <message>
        <location filename="../app/ui/demo_runner.cpp" line="45"/>
        <source>Could not create a temporary workspace: %1</source>
        <translation>无法创建临时工作区：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/demo_runner.cpp" line="64"/>
        <source>The demo LLM server did not report a port: %1</source>
        <translation>演示 LLM 服务器未报告端口：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/demo_runner.cpp" line="75"/>
        <source>The demo LLM server exited (%1): %2</source>
        <translation>演示 LLM 服务器已退出（%1）：%2</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::EventsView</name>
    <message>
        <location filename="../app/ui/events_view.cpp" line="18"/>
        <source>Filter: pid:123 type:file path:/etc text…</source>
        <translation>过滤：pid:123 type:file path:/etc 文本…</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::LiveCapture</name>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="36"/>
        <source>connected (%1)</source>
        <translation>已连接（%1）</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="36"/>
        <source>existing helper</source>
        <translation>已有的辅助程序</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="88"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="96"/>
        <source>agentsight-helper was not found (set AGENTSIGHT_HELPER). Recordings can still be opened.</source>
        <translation>未找到 agentsight-helper（请设置 AGENTSIGHT_HELPER）。仍可打开录制文件。</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="100"/>
        <source>Live capture needs root: polkit&apos;s pkexec is not installed and this app is not running as root. Recordings can still be opened.</source>
        <translation>实时捕获需要 root 权限：未安装 polkit 的 pkexec，且本程序不是以 root 运行。仍可打开录制文件。</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="119"/>
        <source>Could not start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="127"/>
        <source>asking polkit for permission…</source>
        <translation>正在向 polkit 请求授权…</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="127"/>
        <source>starting helper…</source>
        <translation>正在启动辅助程序…</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="138"/>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="148"/>
        <source>The helper socket %1 did not become available.</source>
        <translation>辅助程序套接字 %1 一直不可用。</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="159"/>
        <source>The helper stream is broken: %1</source>
        <translation>辅助程序数据流已损坏：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="170"/>
        <source>helper ended (exit %1)</source>
        <translation>辅助程序已结束（退出码 %1）</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="171"/>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="182"/>
        <source>polkit did not authorize the capture helper (pkexec exit %1)%2. Live capture is unavailable; recordings can still be opened.</source>
        <translation>polkit 未授权捕获辅助程序（pkexec 退出码 %1）%2。实时捕获不可用；仍可打开录制文件。</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="188"/>
        <source>The helper exited with code %1 before serving%2</source>
        <translation>辅助程序在提供服务前退出，退出码 %1%2</translation>
    </message>
    <message>
        <location filename="../app/ui/live_capture.cpp" line="198"/>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::MainWindow</name>
    <message>
        <location filename="../app/ui/main_window.cpp" line="51"/>
        <source>AgentSight</source>
        <translation>AgentSight</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="81"/>
        <source>Findings are not available yet: the detection engine is a separate, later part of AgentSight. Nothing here is inferred or made up.</source>
        <translation>暂无检测结果：检测引擎是 AgentSight 后续单独提供的部分。这里不会推测或编造任何内容。</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="88"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="89"/>
        <source>Findings</source>
        <translation>检测结果</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="134"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="135"/>
        <source>&amp;Open recording…</source>
        <translation>打开录制文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="136"/>
        <source>&amp;Trace a running agent…</source>
        <translation>追踪运行中的智能体(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="137"/>
        <source>&amp;Launch under AgentSight…</source>
        <translation>在 AgentSight 下启动(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="138"/>
        <source>&amp;Connect to a helper socket…</source>
        <translation>连接到辅助程序套接字(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="139"/>
        <source>Run the &amp;demo</source>
        <translation>运行演示(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="140"/>
        <source>&amp;Stop capture</source>
        <translation>停止捕获(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="142"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="143"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="144"/>
        <source>&amp;Pause / live timeline</source>
        <translation>暂停 / 实时时间线(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="185"/>
        <source>no helper</source>
        <translation>无辅助程序</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="204"/>
        <source>Cannot open the recording %1: %2</source>
        <translation>无法打开录制文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="213"/>
        <source>recording (%1 ms to load)</source>
        <translation>录制文件（加载用时 %1 毫秒）</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="216"/>
        <source>The recording %1 could only be read in part: %2</source>
        <translation>录制文件 %1 只能部分读取：%2</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="238"/>
        <source>Not recording to a file (%1); the capture is shown but not saved.</source>
        <translation>未录制到文件（%1）；捕获内容会显示但不会保存。</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="277"/>
        <source>The demo could not start: %1</source>
        <translation>演示无法启动：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="280"/>
        <source>starting the demo…</source>
        <translation>正在启动演示…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="302"/>
        <source>The recording %1 is incomplete: writing failed.</source>
        <translation>录制文件 %1 不完整：写入失败。</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="347"/>
        <source>Helper: %1</source>
        <translation>辅助程序：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="351"/>
        <source>Targets: %1</source>
        <translation>目标：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="351"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="352"/>
        <source>%1 events (%2/s)</source>
        <translation>%1 个事件（%2/秒）</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="356"/>
        <source>Drops: %1</source>
        <translation>丢失：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="358"/>
        <source>kernel ring: %1, helper queue: %2, sequence gaps: %3, bad records: %4, recorder: %5, events not kept in memory: %6, exchanges not kept: %7, tool calls not kept: %8</source>
        <translation>内核环形缓冲区：%1，辅助程序队列：%2，序号缺口：%3，无效记录：%4，录制器：%5，未保留在内存中的事件：%6，未保留的交互：%7，未保留的工具调用：%8</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="368"/>
        <source>Truncated: %1 records, %2 TLS bytes</source>
        <translation>截断：%1 条记录，%2 字节 TLS</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="369"/>
        <source>records cut by the collectors: %1; TLS bytes not captured: %2; event texts shortened: %3; raw HTTP texts shortened: %4</source>
        <translation>被采集器截断的记录：%1；未捕获的 TLS 字节：%2；缩短的事件文本：%3；缩短的原始 HTTP 文本：%4</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="375"/>
        <source>Not recording</source>
        <translation>未录制</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="375"/>
        <source>Recording: %1</source>
        <translation>录制文件：%1</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="463"/>
        <source>Open recording</source>
        <translation>打开录制文件</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="464"/>
        <source>AgentSight recordings (*.agentsight *.db *.sqlite);;All files (*)</source>
        <translation>AgentSight 录制文件 (*.agentsight *.db *.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="472"/>
        <source>Launch under AgentSight</source>
        <translation>在 AgentSight 下启动</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="473"/>
        <source>Command line to run and trace from its first instruction:</source>
        <translation>要运行并从第一条指令起追踪的命令行：</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="483"/>
        <source>Connect to a helper</source>
        <translation>连接到辅助程序</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="483"/>
        <source>Socket path of a running agentsight-helper:</source>
        <translation>运行中的 agentsight-helper 的套接字路径：</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="492"/>
        <source>Agents on this machine</source>
        <translation>本机上的智能体</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="494"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="494"/>
        <source>PID</source>
        <translation>进程号</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="494"/>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="494"/>
        <source>Started</source>
        <translation>启动时间</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="494"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="501"/>
        <source>No running process looks like a coding agent (claude, gemini, codex, …).</source>
        <translation>没有运行中的进程看起来像编程智能体（claude、gemini、codex 等）。</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="504"/>
        <source>Trace selected</source>
        <translation>追踪所选</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="505"/>
        <source>Launch under AgentSight…</source>
        <translation>在 AgentSight 下启动…</translation>
    </message>
    <message>
        <location filename="../app/ui/main_window.cpp" line="506"/>
        <source>Open recording…</source>
        <translation>打开录制文件…</translation>
    </message>
</context>
<context>
    <name>agentsight::ui::TimelineView</name>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="52"/>
        <source>seconds since the first event</source>
        <translation>自第一个事件起的秒数</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="89"/>
        <location filename="../app/ui/timeline_view.cpp" line="161"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="97"/>
        <source>Move through the whole session (pauses live mode)</source>
        <translation>在整个会话中移动（会暂停实时模式）</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="103"/>
        <source>Width of the visible window, in percent of the session</source>
        <translation>可见窗口宽度，占整个会话的百分比</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="122"/>
        <source>Scrub</source>
        <translation>拖动</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="124"/>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="161"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="297"/>
        <source>%1 items, %2 links; showing %3–%4 s of %5 s (%6)</source>
        <translation>%1 项，%2 条关联；显示 %3–%4 秒，共 %5 秒（%6）</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="303"/>
        <source>live</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="303"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="305"/>
        <source> - not drawn in this window: %1 marks, %2 bars, %3 links (zoom in)</source>
        <translation> - 此窗口中未绘制：%1 个标记，%2 个条形，%3 条关联（请放大）</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="310"/>
        <source> - %1 file/network marks over the timeline cap (see the events table)</source>
        <translation> - 有 %1 个文件/网络标记超出时间线上限（见事件表）</translation>
    </message>
    <message>
        <location filename="../app/ui/timeline_view.cpp" line="312"/>
        <source>Selected: %1</source>
        <translation>已选：%1</translation>
    </message>
</context>
</TS>
